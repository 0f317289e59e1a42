use clap::Parser;

fn main() {
    let cli = deploysim::cli::Cli::parse();
    if let Err(error) = deploysim::commands::execute(cli.command) {
        eprintln!("error: {error:#}");
        std::process::exit(deploysim::commands::exit_code(&error));
    }
}
