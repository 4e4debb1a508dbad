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

/// Longest piece of user input, in characters, that a message quotes in full.
///
/// Ids and keys are echoed so that the user can find them, but a 100 MB string must not
/// become a 100 MB message: past this length only the start is shown, with a marker.
pub const ECHO_MAX_CHARS: usize = 120;

/// Longest message or location, in characters, after its quoted parts were shortened:
/// a last bound for text that quotes input in ways [`clip`] cannot recognise.
pub const MESSAGE_MAX_CHARS: usize = 2000;

/// `s` quoted for a message, escaped like a Rust string literal (control characters,
/// quotes and backslashes cannot break the diagnostic's layout) and shortened past
/// [`ECHO_MAX_CHARS`] characters.
///
/// An ordinary id comes out exactly as `"id"`.
pub fn quote(s: &str) -> String {
    let n = s.chars().count();
    if n <= ECHO_MAX_CHARS {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(ECHO_MAX_CHARS).collect();
    let quoted = format!("{head:?}");
    // Inside the closing quote, so that the shortened text still reads as one string.
    format!(
        "{}…\" ({n} characters, shortened)",
        &quoted[..quoted.len() - 1]
    )
}

/// A path for a message: control characters escaped, so that a newline in a file name
/// cannot fake a second diagnostic, and shortened in the middle when absurdly long.
pub fn display_path(p: &std::path::Path) -> String {
    clip(&p.display().to_string(), MESSAGE_MAX_CHARS / 2)
}

/// Free text that may quote user input (a serde message, a list of paths): control
/// characters escaped, every quoted (`"…"`) or back-ticked part longer than
/// [`ECHO_MAX_CHARS`] shortened, and the whole kept to at most `max` characters by
/// cutting out its middle.
///
/// Text without control characters and without long quoted parts comes out unchanged.
pub fn clip(s: &str, max: usize) -> String {
    // Shortened before escaping, so that a huge input is never copied whole.
    let short = escape_controls(&shorten_quoted(s));
    let n = short.chars().count();
    if n <= max {
        return short;
    }
    // Keep both ends: a serde message names the problem at the end ("expected ...").
    let head_len = max * 2 / 3;
    let tail_len = max - head_len;
    let head: String = short.chars().take(head_len).collect();
    let tail: String = short.chars().skip(n - tail_len).collect();
    format!(
        "{head}…[{} characters left out]…{tail}",
        n - head_len - tail_len
    )
}

/// Control characters as Rust escapes (`\n`, `\u{1b}`).
fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Shortens every `"…"` or `` `…` `` part of `s` longer than [`ECHO_MAX_CHARS`]
/// characters; a backslash escapes the next character inside double quotes (serde
/// quotes strings with `{:?}`).
///
/// Works on bytes without copying the input into characters: the delimiters are ASCII,
/// which never occurs inside a multi-byte UTF-8 character, so every cut is on a
/// character boundary.
fn shorten_quoted(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len().min(4 * MESSAGE_MAX_CHARS));
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let delim = bytes[i];
        i += 1;
        if delim != b'"' && delim != b'`' {
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] != delim {
            i += if delim == b'"' && bytes[i] == b'\\' {
                2
            } else {
                1
            };
        }
        let end = i.min(bytes.len());
        let inner = &s[start..end];
        let n = inner.chars().count();
        if n > ECHO_MAX_CHARS {
            let cut = inner
                .char_indices()
                .nth(ECHO_MAX_CHARS)
                .map_or(inner.len(), |(k, _)| k);
            out.push_str(&s[copied..start]);
            out.push_str(&inner[..cut]);
            out.push_str(&format!("…[{} more characters]", n - ECHO_MAX_CHARS));
            copied = end;
        }
        i = end + 1;
    }
    if copied < s.len() {
        out.push_str(&s[copied..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(quote("stackit-eu01"), "\"stackit-eu01\"");
        let serde = "unknown field `vpcu`, expected one of `vcpu`, `ram_gb`";
        assert_eq!(clip(serde, MESSAGE_MAX_CHARS), serde);
        assert_eq!(display_path(std::path::Path::new("a/b.json")), "a/b.json");
    }

    #[test]
    fn long_input_is_shortened_with_a_marker() {
        let long = "x".repeat(100_000);
        let q = quote(&long);
        assert!(q.len() < 200, "{q}");
        assert!(q.ends_with("…\" (100000 characters, shortened)"), "{q}");
        let msg = format!("invalid type: string {long:?}, expected a sequence");
        let c = clip(&msg, MESSAGE_MAX_CHARS);
        assert!(c.len() < 300, "{c}");
        assert!(c.starts_with("invalid type: string \"xxx"), "{c}");
        assert!(
            c.ends_with("more characters]\", expected a sequence"),
            "{c}"
        );
        let c = clip(&"y".repeat(10_000), 100);
        assert_eq!(
            c.chars().count(),
            100 + "…[9900 characters left out]…".chars().count()
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
        assert_eq!(
            clip("x.json\nerror[E999] fake", 100),
            "x.json\\nerror[E999] fake"
        );
        let p = std::path::Path::new("evil\n.json");
        assert_eq!(display_path(p), "evil\\n.json");
    }
}
