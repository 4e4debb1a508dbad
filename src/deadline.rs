//! When a run has to end: a point in time and an interrupt flag that every stage
//! (reading aside) checks: the heuristic's loops, the MILP (through HiGHS's time limit,
//! its interrupt callback and a watchdog), the diagnosis and the analyses.
//!
//! A [`Deadline`] is cheap to clone; clones share the interrupt flag, so that one
//! Ctrl-C (which sets it) stops every solve of the run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The instant a run must end by (if any) and a shared interrupt flag.
#[derive(Debug, Clone, Default)]
pub struct Deadline {
    at: Option<Instant>,
    flag: Arc<AtomicBool>,
}

impl PartialEq for Deadline {
    /// Two deadlines are equal when they end at the same instant and share their flag.
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && Arc::ptr_eq(&self.flag, &other.flag)
    }
}

impl Deadline {
    /// No time bound, and a flag of its own (nobody else can set it).
    pub fn none() -> Self {
        Self::default()
    }

    /// Ends `seconds` from now (`None`: no time bound).
    pub fn after(seconds: Option<f64>) -> Self {
        Deadline::none().within(seconds)
    }

    /// The same deadline, interrupted by `flag` (e.g. the one a SIGINT handler sets).
    pub fn with_flag(self, flag: Arc<AtomicBool>) -> Self {
        Deadline { flag, ..self }
    }

    /// The earlier of this deadline and `seconds` from now, with the same flag: the
    /// bound of one stage (a solve with its own limit) within the run.
    pub fn within(&self, seconds: Option<f64>) -> Self {
        let own = seconds.and_then(instant_after);
        let at = match (self.at, own) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Deadline {
            at,
            flag: Arc::clone(&self.flag),
        }
    }

    /// The instant it ends at, if it has one.
    pub fn at(&self) -> Option<Instant> {
        self.at
    }

    /// Sets the interrupt flag (for every clone).
    pub fn interrupt(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }

    /// Whether the interrupt flag is set.
    pub fn interrupted(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }

    /// Whether the run must stop now: interrupted, or past its instant.
    pub fn expired(&self) -> bool {
        self.interrupted() || self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// Seconds left (0 when expired); `None` when there is no time bound.
    pub fn remaining(&self) -> Option<f64> {
        if self.interrupted() {
            return Some(0.0);
        }
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    /// A deadline at `share` (0..=1) of the time left: a stage that should leave the
    /// rest to the stages after it. Without a time bound, the same deadline.
    pub fn share(&self, share: f64) -> Self {
        match self.remaining() {
            Some(left) => self.within(Some(left * share.clamp(0.0, 1.0))),
            None => self.clone(),
        }
    }
}

/// The instant `seconds` from now; `None` for a span no clock can represent (1e300 s),
/// which bounds nothing in practice.
fn instant_after(seconds: f64) -> Option<Instant> {
    let span = Duration::try_from_secs_f64(seconds.max(0.0)).ok()?;
    Instant::now().checked_add(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_takes_the_earlier_end_and_shares_the_flag() {
        let run = Deadline::after(Some(100.0));
        let stage = run.within(Some(1.0));
        assert!(stage.at() < run.at());
        assert_eq!(run.within(Some(1e9)).at(), run.at());
        assert!(Deadline::none().within(None).at().is_none());
        assert!(!stage.expired());
        run.interrupt();
        assert!(stage.expired() && stage.interrupted());
        assert_eq!(stage.remaining(), Some(0.0));
    }

    #[test]
    fn a_zero_limit_is_expired_and_no_limit_never_is() {
        assert!(Deadline::after(Some(0.0)).expired());
        assert!(!Deadline::none().expired());
        assert_eq!(Deadline::none().remaining(), None);
        assert_eq!(Deadline::after(Some(f64::MAX)).remaining(), None);
    }
}
