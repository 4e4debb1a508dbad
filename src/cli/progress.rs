//! The live progress line on standard error while a long command runs.
//!
//! Shown only when standard error is a terminal and `--quiet` is not given, so that
//! logs, pipes and tests see exactly what they saw before. The library reports into a
//! [`Live`]; a thread here reads it four times a second and redraws one line through
//! indicatif (which handles terminal width, redrawing and clearing).

use super::scenario::eur;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sovplan::live::{Live, Phase, Snapshot};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the line is redrawn (the issue asks for at least once a second).
const TICK: Duration = Duration::from_millis(250);

/// What the line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One search: stage, best plan, bound and gap.
    Search,
    /// A batch of solves (`price`, `sweep`): solves done of planned, with an ETA.
    Batch,
}

/// A running progress line; cleared when dropped.
pub struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The observer to hand to the library, and the line that shows it (`None` when
/// nothing is to be shown: `--quiet`, or standard error is not a terminal).
pub fn start(kind: Kind, quiet: bool) -> (Option<Arc<Live>>, Option<Ticker>) {
    if quiet || !std::io::stderr().is_terminal() {
        return (None, None);
    }
    let live = Arc::new(Live::default());
    let bar = bar(kind);
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (live, stop) = (Arc::clone(&live), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("sovplan-progress".into())
            .spawn(move || redraw(&bar, kind, &live, &stop))
            .ok()
    };
    (Some(live), Some(Ticker { stop, thread }))
}

fn bar(kind: Kind) -> ProgressBar {
    let (bar, template) = match kind {
        Kind::Search => (
            ProgressBar::new_spinner(),
            "{spinner} {elapsed_precise} {wide_msg}",
        ),
        Kind::Batch => (
            ProgressBar::new(0),
            "{spinner} {elapsed_precise} [{bar:24}] {pos}/{len} solves · ETA {eta} {msg}",
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(TICK);
    bar
}

/// The thread's loop: reads the observer and redraws until stopped, then clears.
fn redraw(bar: &ProgressBar, kind: Kind, live: &Live, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        let s = live.snapshot();
        match kind {
            Kind::Search => bar.set_message(line(&s)),
            Kind::Batch => {
                bar.set_length(s.total as u64);
                bar.set_position(s.done as u64);
            }
        }
        std::thread::sleep(TICK);
    }
    bar.finish_and_clear();
}

/// The text of a search's line, e.g.
/// `solving · best 19,806,917.74 · bound 19,700,003.10 EUR · gap 0.54 %` (money in EUR;
/// indicatif cuts the line to the terminal's width, so that it never wraps).
pub fn line(s: &Snapshot) -> String {
    let mut parts = vec![stage(s.phase).to_string()];
    if let Some(b) = s.best {
        parts.push(format!("best {}", eur(b)));
    }
    if let Some(l) = s.bound {
        parts.push(format!("bound {} EUR", eur(l)));
    }
    if let Some(g) = s.gap() {
        parts.push(format!("gap {:.2} %", 100.0 * g));
    }
    parts.join(" · ")
}

fn stage(p: Phase) -> &'static str {
    match p {
        Phase::Starting => "reading the scenario",
        Phase::Heuristic => "finding a start plan",
        Phase::Pricing => "pricing columns (LP relaxation)",
        Phase::Building => "building the model",
        Phase::Solving => "solving",
        Phase::Explaining => "no plan: finding which rules conflict",
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_what_is_known() {
        let live = Live::default();
        assert_eq!(line(&live.snapshot()), "reading the scenario");
        live.enter(Phase::Solving);
        live.offer_plan(19_806_917.744);
        assert_eq!(line(&live.snapshot()), "solving · best 19,806,917.74");
        live.offer_bound(19_700_003.1);
        assert_eq!(
            line(&live.snapshot()),
            "solving · best 19,806,917.74 · bound 19,700,003.10 EUR · gap 0.54 %"
        );
    }
}
