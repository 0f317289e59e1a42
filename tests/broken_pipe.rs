//! A reader that closes stdout early (`deploysim validate FILE | head -1`) must not make
//! deploysim panic: the process ends quietly, as other command-line tools do.

use std::process::{Command, Stdio};

#[test]
fn closing_stdout_early_is_not_a_panic() {
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deploysim"))
            .args(["validate", "scenarios/ecs-blog.toml"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end at once: the process is still reading its scenario, so its
        // first write finds no reader.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
