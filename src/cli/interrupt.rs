//! Ctrl-C: the first SIGINT asks the running command to stop and write the best result
//! it has (exit 130); a second one ends the process at once (also 130).

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

/// The exit status of a run ended by Ctrl-C, as shells report one (128 + SIGINT).
pub const INTERRUPTED: i32 = 130;

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The flag the SIGINT handler sets; the handler is installed on the first call. If it
/// cannot be installed, Ctrl-C keeps its default effect (the process ends at once).
pub fn flag() -> Arc<AtomicBool> {
    Arc::clone(FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        // Registered first, so that it runs before the flag is set: it exits only when
        // the flag is already set, i.e. on the second Ctrl-C.
        let second = signal_hook::flag::register_conditional_shutdown(
            signal_hook::consts::SIGINT,
            INTERRUPTED,
            Arc::clone(&flag),
        );
        let first = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&flag));
        if let Err(e) = second.and(first) {
            eprintln!("sovplan: warning: Ctrl-C cannot be handled gracefully: {e}");
        }
        flag
    }))
}

/// Whether Ctrl-C was pressed during this run.
pub fn interrupted() -> bool {
    FLAG.get()
        .is_some_and(|f| f.load(std::sync::atomic::Ordering::SeqCst))
}

/// The deadline of a command: `seconds` from now (if given), interrupted by Ctrl-C.
pub fn deadline(seconds: Option<f64>) -> sovplan::Deadline {
    sovplan::Deadline::after(seconds).with_flag(flag())
}
