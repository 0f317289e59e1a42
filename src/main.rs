use clap::Parser;

fn main() {
    // A reader that closes the pipe early (`deploysim trace FILE | head`) ends the process
    // quietly, as it does other command-line tools, instead of a panic in `println!`.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = deploysim::cli::Cli::parse();
    if let Err(error) = deploysim::commands::execute(cli.command) {
        eprintln!("error: {error:#}");
        std::process::exit(deploysim::commands::exit_code(&error));
    }
}
