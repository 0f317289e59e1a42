//! Stopping a run early (Ctrl-C): a process-wide flag that replications check before they
//! start. Nothing is written for an interrupted run, so no partial report exists.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// A run stopped by Ctrl-C (or SIGTERM) before all its replications ran. The process exits
/// with status 130.
#[derive(Debug, thiserror::Error)]
#[error(
    "interrupted after {done} of {total} replications; nothing was written (files from an earlier run are untouched)"
)]
pub struct Interrupted {
    pub done: u64,
    pub total: u64,
}

/// Asks every running replication loop to stop before its next replication.
pub fn request_stop() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Whether a stop was requested.
pub fn stop_requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Installs the Ctrl-C / SIGTERM handler: the first signal asks the run to stop between
/// replications; a second one exits at once with status 130 (outputs are written
/// atomically, so even then no truncated file can appear).
pub fn install_handler() {
    // An error means a handler is already installed (a second command in one process).
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("stopping after the replications in progress (Ctrl-C again to quit now)");
    });
}
