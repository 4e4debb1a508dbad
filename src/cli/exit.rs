//! Exit codes, and how an error that stopped a command becomes one.
//!
//! The codes are part of the CLI's contract (README, "Exit codes"): scripts tell "the
//! input or a file is the problem" (2) from "the plan has violations" (1).

use sovplan::Diagnostic;
use std::path::Path;
use std::process::ExitCode;

/// How `sovplan` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did its job.
    Success = 0,
    /// 1: `check` found violations, or something unexpected went wrong.
    Failure = 1,
    /// 2: invalid input or usage, or a file that cannot be read or written.
    Invalid = 2,
    /// 3: no plan satisfies the scenario (the explanation is printed).
    Infeasible = 3,
    /// 4: the time limit ended the search before any feasible plan was found.
    TimeLimit = 4,
    /// 130: Ctrl-C (SIGINT) stopped the run; the best result found by then was written.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// An input the command cannot use, found by the CLI itself (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag value or combination of flags the command cannot use.
    #[error("{0}")]
    Usage(String),
    /// The plan file is JSON, but not a plan.
    #[error(
        "not a sovplan plan: {} [{}]: {}\n    help: pass a file written by `sovplan solve -o`",
        .0.location, .0.code, .0.message
    )]
    NotAPlan(Diagnostic),
}

/// A usage error with `message`.
pub fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// A failed read or write of `path`; the message names the path and the OS reason.
pub fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> sovplan::Error {
    sovplan::Error::Io {
        action,
        path: path.display().to_string(),
        source,
    }
}

/// The text of an input file (a plan, a report, a shard) read as `solve` reads a
/// scenario (`sovplan::format::read::read_text`): only regular files or `-` for
/// standard input, at most `SOVPLAN_MAX_FILE_MB` MiB, UTF-8. A refusal is exit 2 and
/// names `what`, the path and the reason, e.g. `cannot read the plan p.json: is a
/// directory, not a regular file`.
pub fn read_input(path: &Path, what: &str) -> Result<String, CliError> {
    sovplan::format::read::read_text(path).map_err(|d| read_error(what, d))
}

/// A read diagnostic as a usage error. Diagnostics about the file itself read as one
/// sentence with the path; others (a malformed `SOVPLAN_MAX_FILE_MB`) are kept whole.
fn read_error(what: &str, d: Diagnostic) -> CliError {
    if !matches!(d.code, "E001" | "E012" | "E013") {
        return CliError::Usage(d.to_string());
    }
    // E001 says "cannot read the file: <OS reason>"; the sentence already says that.
    let reason = d
        .message
        .strip_prefix("cannot read the file: ")
        .unwrap_or(&d.message);
    // The reader's hints speak of scenarios and includes; these fit any input.
    let hint = match d.code {
        "E001" => "check the path, and that the file is readable UTF-8 text",
        "E012" => "pass a regular file, or `-` to read it from standard input",
        _ => &d.hint,
    };
    CliError::Usage(format!(
        "cannot read {what} {}: {reason}\n    help: {hint}",
        d.location
    ))
}

impl Exit {
    /// The code for an error that stopped a command: 2 when any error in its chain is
    /// about the input or a file (invalid scenario, usage, I/O), otherwise 1.
    pub fn of(err: &anyhow::Error) -> Exit {
        let about_input = err.chain().any(|cause| {
            cause.is::<CliError>()
                || cause.is::<std::io::Error>()
                || matches!(
                    cause.downcast_ref::<sovplan::Error>(),
                    Some(sovplan::Error::Invalid(_) | sovplan::Error::Io { .. })
                )
        });
        if about_input {
            Exit::Invalid
        } else {
            Exit::Failure
        }
    }
}

/// The error and its causes, outermost first, joined by ": " as ripgrep prints them.
///
/// A cause whose text the message already ends with is not repeated: some errors
/// (`sovplan::Error::Io`) name their OS reason themselves so that they read well on
/// their own, and also expose it as their source.
pub fn report(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.ends_with(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn not_found() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, "No such file")
    }

    #[test]
    fn io_errors_name_path_and_reason_once_and_exit_2() {
        let err = anyhow::Error::from(io_error("write", Path::new("out/p.json"), not_found()));
        assert_eq!(report(&err), "cannot write out/p.json: No such file");
        assert_eq!(Exit::of(&err), Exit::Invalid);
    }

    #[test]
    fn causes_are_chained_and_an_io_cause_anywhere_means_exit_2() {
        let err = Err::<(), _>(not_found())
            .context("output directory x does not exist")
            .unwrap_err();
        assert_eq!(
            report(&err),
            "output directory x does not exist: No such file"
        );
        assert_eq!(Exit::of(&err), Exit::Invalid);
    }

    #[test]
    fn usage_and_invalid_input_exit_2_anything_else_1() {
        assert_eq!(Exit::of(&usage("--gap").into()), Exit::Invalid);
        let invalid = sovplan::Error::from(vec![Diagnostic::new("E001", "x", "m", "h")]);
        assert_eq!(Exit::of(&invalid.into()), Exit::Invalid);
        let solver = sovplan::Error::Solver("status".into());
        assert_eq!(Exit::of(&solver.into()), Exit::Failure);
        assert_eq!(Exit::of(&anyhow::anyhow!("internal")), Exit::Failure);
    }
}
