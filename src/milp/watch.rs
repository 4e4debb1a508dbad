//! Running HiGHS so that a deadline holds: the model is built and solved on a thread of
//! its own, HiGHS's interrupt callbacks stop it when the deadline passes or the run is
//! interrupted, and a watchdog gives up waiting when HiGHS does not come back in time.
//!
//! Why all three: HiGHS's `time_limit` option is checked only now and then (its
//! presolve looks at it once per 1,024 reductions and its probing not at all: 6.8 s of
//! presolve against a 5 s limit on the 5,000-service scenario), and presolve never calls
//! the interrupt callback. The callback stops the branch and bound, simplex and IPM
//! promptly; the watchdog covers the rest. A solve given up on keeps running on its
//! thread until HiGHS returns (its result is dropped): callers stop starting solves
//! once the deadline has passed, and the binary ends the process without waiting for it
//! ([`abandoned`]).
//!
//! While HiGHS runs, the callback keeps the best dual bound and the best solution it
//! has reported, so that a solve given up on still contributes both.

use crate::deadline::Deadline;
use crate::live::Live;
use highs_sys::{
    kHighsCallbackIpmInterrupt, kHighsCallbackMipImprovingSolution, kHighsCallbackMipInterrupt,
    kHighsCallbackSimplexInterrupt, HighsCallbackDataIn, HighsCallbackDataOut, HighsInt,
};
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long HiGHS may take to come back once the hard deadline has passed (or the run
/// was interrupted) before the watchdog stops waiting for it.
pub const GRACE: Duration = Duration::from_millis(300);

/// How often the waiting thread looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(50);

/// Solves given up on by the watchdog in this process (their threads may still run).
static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// How many solves the watchdog gave up on in this process. A program that ends while
/// one of them still runs should end with `_exit`, not by unwinding `main`: HiGHS's
/// static objects would otherwise be destroyed under the running solve.
pub fn abandoned() -> usize {
    ABANDONED.load(Ordering::SeqCst)
}

/// What HiGHS reported while it ran, shared between the callback, the solving thread
/// and the waiting one.
#[derive(Debug)]
pub struct Progress {
    /// Stops HiGHS when it expires (the callback checks it).
    pub deadline: Deadline,
    /// Best dual bound reported (f64 bits; −∞ until HiGHS has one).
    dual_bound: AtomicU64,
    /// The last improving solution reported (column values).
    incumbent: Mutex<Option<Vec<f64>>>,
    /// The observer the run reports to, in total-cost terms.
    live: Option<Arc<Live>>,
    /// The objective's constant HiGHS never sees (f64 bits), added for the observer.
    constant: AtomicU64,
}

impl Progress {
    /// Nothing reported yet; HiGHS is stopped at `deadline`; what it finds is also
    /// reported to `live`.
    pub fn new(deadline: Deadline, live: Option<Arc<Live>>) -> Arc<Self> {
        Arc::new(Progress {
            deadline,
            dual_bound: AtomicU64::new(f64::NEG_INFINITY.to_bits()),
            incumbent: Mutex::new(None),
            live,
            constant: AtomicU64::new(0f64.to_bits()),
        })
    }

    /// The objective's constant, once the model is built: HiGHS's figures plus it are
    /// total costs.
    pub fn set_constant(&self, c: f64) {
        self.constant.store(c.to_bits(), Ordering::SeqCst);
    }

    /// Passes HiGHS's primal and dual bound on to the observer as total costs.
    fn report(&self, primal: f64, dual: f64) {
        if let Some(live) = &self.live {
            let c = f64::from_bits(self.constant.load(Ordering::SeqCst));
            live.offer_plan(primal + c);
            live.offer_bound(dual + c);
        }
    }

    /// The best finite dual bound HiGHS reported, in its objective space.
    pub fn dual_bound(&self) -> Option<f64> {
        Some(f64::from_bits(self.dual_bound.load(Ordering::SeqCst))).filter(|b| b.is_finite())
    }

    /// The last improving solution HiGHS reported.
    pub fn incumbent(&self) -> Option<Vec<f64>> {
        self.incumbent.lock().ok().and_then(|g| g.clone())
    }

    fn raise_dual_bound(&self, b: f64) {
        if b.is_finite() {
            let _ = self
                .dual_bound
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
                    (b > f64::from_bits(old)).then_some(b.to_bits())
                });
        }
    }
}

/// Installs the callback on a HiGHS instance: interrupts at the deadline, records dual
/// bounds and improving solutions into `progress`.
///
/// # Safety
/// `highs` must be a live HiGHS instance, and `progress` must outlive every run of it
/// (the solving thread holds a clone of the `Arc` for as long as it runs).
pub unsafe fn install(highs: *mut c_void, progress: &Arc<Progress>) {
    let user = Arc::as_ptr(progress) as *mut c_void;
    highs_sys::Highs_setCallback(highs, Some(callback), user);
    for kind in [
        kHighsCallbackMipInterrupt,
        kHighsCallbackSimplexInterrupt,
        kHighsCallbackIpmInterrupt,
        kHighsCallbackMipImprovingSolution,
    ] {
        highs_sys::Highs_startCallback(highs, kind);
    }
}

/// HiGHS's C callback. It must not unwind into C++: it only loads and stores atomics and
/// copies into a mutex it never panics under.
unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    input: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    if user.is_null() {
        return;
    }
    let progress = &*(user as *const Progress);
    let kind = kind as HighsInt;
    if kind == kHighsCallbackMipImprovingSolution {
        if let Some(out) = out.as_ref() {
            let n = usize::try_from(out.mip_solution_size).unwrap_or(0);
            if !out.mip_solution.is_null() && n > 0 {
                let values = std::slice::from_raw_parts(out.mip_solution, n).to_vec();
                if let Ok(mut slot) = progress.incumbent.lock() {
                    *slot = Some(values);
                }
            }
            progress.report(out.objective_function_value, f64::NEG_INFINITY);
        }
        return;
    }
    if kind == kHighsCallbackMipInterrupt {
        if let Some(out) = out.as_ref() {
            progress.raise_dual_bound(out.mip_dual_bound);
            progress.report(out.mip_primal_bound, out.mip_dual_bound);
        }
    }
    if progress.deadline.expired() {
        if let Some(input) = input.as_mut() {
            input.user_interrupt = 1;
        }
    }
}

/// What the solving thread sends: first what the waiting thread needs to read a
/// solution back once the model is built (`B`), then the result (`R`).
pub enum Message<B, R> {
    /// The model is built.
    Built(B),
    /// HiGHS came back (or was not started).
    Done(R),
}

/// How waiting for the solving thread ended.
pub enum Waited<B, R> {
    /// The thread sent its result.
    Done(R),
    /// The watchdog gave up; what the thread sent when the model was built, if it was.
    GaveUp(Option<B>),
}

/// Runs `work` on a thread of its own and waits for its result, or until `hard` has
/// expired for [`GRACE`]; the thread reports its progress through the channel it is
/// given.
pub fn run<B: Send + 'static, R: Send + 'static>(
    hard: &Deadline,
    work: impl FnOnce(&mpsc::Sender<Message<B, R>>) + Send + 'static,
) -> Result<Waited<B, R>, std::io::Error> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("sovplan-highs".into())
        .spawn(move || work(&tx))?;
    let mut built = None;
    let mut give_up_at: Option<Instant> = None;
    loop {
        if give_up_at.is_none() && hard.expired() {
            // From the instant itself, or from now if the flag was set.
            let from = hard.at().filter(|_| !hard.interrupted());
            give_up_at = Some(from.unwrap_or_else(Instant::now) + GRACE);
        }
        let wait = match give_up_at {
            Some(t) => t.saturating_duration_since(Instant::now()),
            None => POLL,
        };
        match rx.recv_timeout(wait) {
            Ok(Message::Built(b)) => built = Some(b),
            Ok(Message::Done(r)) => return Ok(Waited::Done(r)),
            Err(RecvTimeoutError::Timeout) if give_up_at.is_some_and(|t| Instant::now() >= t) => {
                ABANDONED.fetch_add(1, Ordering::SeqCst);
                return Ok(Waited::GaveUp(built));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(std::io::Error::other(
                    "the solver thread ended without a result",
                ))
            }
        }
    }
}
