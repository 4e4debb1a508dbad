//! Error and diagnostic types shared by every stage of the pipeline.

use std::fmt;

/// One problem found in a scenario, pointing at the place in the input that causes it.
///
/// Diagnostics are collected, never thrown one at a time: a planner fixing a scenario
/// wants to see every problem in one run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `E105`; documented in the README.
    pub code: &'static str,
    /// File and JSON path, e.g. `scenarios/x.json: services[3].demand.vcpu`.
    pub location: String,
    /// What is wrong, naming the offending ids and values.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Diagnostic {
    /// Builds a diagnostic; `hint` says what the user should change.
    pub fn new(
        code: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            location: location.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error[{}] {}: {}\n    help: {}",
            self.code, self.location, self.message, self.hint
        )
    }
}

/// A list of diagnostics that stopped the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Everything that can stop `sovplan` from producing a plan, other than the scenario
/// having none (see [`crate::PlanOutcome`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario could not be read or violates the format's rules.
    #[error("the scenario has {} problem(s):\n{}", .0.0.len(), .0)]
    Invalid(Diagnostics),
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was attempted: "read", "write".
        action: &'static str,
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// HiGHS reported an error that is not infeasibility.
    #[error("the solver failed: {0}")]
    Solver(String),
}

impl From<Vec<Diagnostic>> for Error {
    fn from(d: Vec<Diagnostic>) -> Self {
        Error::Invalid(Diagnostics(d))
    }
}
