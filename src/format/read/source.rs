//! Getting the text of one input: a regular file, or standard input for `-`, never more
//! than [`ReadLimits`] allows, decoded as UTF-8 (a byte-order mark is accepted).
//!
//! Only regular files are read: a FIFO would block forever, `/dev/zero` would fill
//! memory, and a directory has no text. Standard input is read only where the user
//! wrote `-` for the top file.

use crate::error::{display_path, Diagnostic};
use std::io::Read;
use std::path::Path;

/// The environment variable that sets [`ReadLimits::max_file_bytes`], in MiB.
pub const MAX_FILE_MB_ENV: &str = "SOVPLAN_MAX_FILE_MB";

/// Default largest file: 64 MiB, about 25 times the 5,336-service scenario.
pub const DEFAULT_MAX_FILE_MB: u64 = 64;

/// All files of one scenario together may hold this many times the per-file limit, so
/// that many includes cannot add up to what one file may not be.
pub const TOTAL_FILES_FACTOR: u64 = 16;

/// Largest value [`MAX_FILE_MB_ENV`] accepts (1 TiB): above it the byte counts could
/// overflow, and no scenario comes close.
const MAX_FILE_MB_CEILING: u64 = 1 << 20;

const MIB: u64 = 1 << 20;

/// How much reading one scenario may consume.
///
/// The default allows 64 MiB per file and 1 GiB for all files of a scenario together;
/// [`ReadLimits::from_env`] reads the per-file limit from `SOVPLAN_MAX_FILE_MB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest file (or standard input) in bytes.
    pub max_file_bytes: u64,
    /// Largest sum over the top file and all its includes, in bytes.
    pub max_total_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits::with_max_file_mb(DEFAULT_MAX_FILE_MB)
    }
}

impl ReadLimits {
    /// `mb` MiB per file and [`TOTAL_FILES_FACTOR`] times that for all files together.
    pub fn with_max_file_mb(mb: u64) -> Self {
        let max_file_bytes = mb.saturating_mul(MIB);
        ReadLimits {
            max_file_bytes,
            max_total_bytes: max_file_bytes.saturating_mul(TOTAL_FILES_FACTOR),
        }
    }

    /// The default, or the per-file limit `SOVPLAN_MAX_FILE_MB` sets (a whole number of
    /// MiB from 1 to 1,048,576; empty means unset); any other value is an error (E014),
    /// never ignored.
    pub fn from_env() -> Result<Self, Diagnostic> {
        match std::env::var(MAX_FILE_MB_ENV) {
            Err(std::env::VarError::NotPresent) => Ok(ReadLimits::default()),
            // `SOVPLAN_MAX_FILE_MB= sovplan ...` reads as "no setting", as for most tools.
            Ok(v) if v.trim().is_empty() => Ok(ReadLimits::default()),
            Ok(v) => match v.trim().parse::<u64>() {
                Ok(mb) if (1..=MAX_FILE_MB_CEILING).contains(&mb) => {
                    Ok(ReadLimits::with_max_file_mb(mb))
                }
                _ => Err(bad_env(&crate::error::quote(&v))),
            },
            Err(std::env::VarError::NotUnicode(v)) => {
                Err(bad_env(&crate::error::quote(&v.to_string_lossy())))
            }
        }
    }
}

fn bad_env(value: &str) -> Diagnostic {
    Diagnostic::new(
        "E014",
        format!("environment: {MAX_FILE_MB_ENV}"),
        format!("{MAX_FILE_MB_ENV} is {value}, not a whole number of MiB from 1 to {MAX_FILE_MB_CEILING}"),
        format!("set it to e.g. {MAX_FILE_MB_ENV}=256, or unset it for the default of {DEFAULT_MAX_FILE_MB} MiB"),
    )
}

/// Whether `path` means standard input.
pub(super) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The label standard input gets in diagnostics.
pub(super) const STDIN_LABEL: &str = "<stdin>";

/// Checks that `path` is a regular file no larger than the limit, before anything is
/// opened: opening a FIFO for reading blocks until someone writes to it.
pub(super) fn check_regular(path: &Path, limits: &ReadLimits, top: bool) -> Result<(), Diagnostic> {
    let label = display_path(path);
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::new(
            "E001",
            label.clone(),
            format!("cannot read the file: {e}"),
            "check the path (includes are relative to the including file)",
        )
    })?;
    if !meta.is_file() {
        return Err(not_regular(&label, &meta.file_type(), top));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(too_large(&label, meta.len(), limits));
    }
    Ok(())
}

fn not_regular(label: &str, ft: &std::fs::FileType, top: bool) -> Diagnostic {
    let hint = if top {
        "pass a regular file, or `-` to read standard input"
    } else {
        "an include must name a regular JSON file"
    };
    Diagnostic::new(
        "E012",
        label,
        format!("{}, not a regular file", file_kind(ft)),
        hint,
    )
}

/// What a non-regular file is, in words.
fn file_kind(ft: &std::fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "is a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "is a pipe (FIFO)";
        }
        if ft.is_char_device() {
            return "is a character device";
        }
        if ft.is_block_device() {
            return "is a block device";
        }
        if ft.is_socket() {
            return "is a socket";
        }
    }
    "is a special file"
}

fn too_large(label: &str, bytes: u64, limits: &ReadLimits) -> Diagnostic {
    Diagnostic::new(
        "E013",
        label,
        format!(
            "the file has {bytes} bytes, more than the limit of {} MiB per file",
            limits.max_file_bytes / MIB
        ),
        format!("if the file is right, raise the limit with {MAX_FILE_MB_ENV}=<MiB>"),
    )
}

/// Reads at most `limit + 1` bytes from `r`: one more than allowed tells "too large"
/// apart from "exactly at the limit" without ever holding more.
fn read_capped(mut r: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads standard input, at most the per-file limit.
pub(super) fn read_stdin(limits: &ReadLimits) -> Result<Vec<u8>, Diagnostic> {
    let bytes = read_capped(std::io::stdin().lock(), limits.max_file_bytes).map_err(|e| {
        Diagnostic::new(
            "E001",
            STDIN_LABEL,
            format!("cannot read standard input: {e}"),
            "pipe or redirect the scenario into sovplan",
        )
    })?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(over_limit(STDIN_LABEL, limits));
    }
    Ok(bytes)
}

fn over_limit(label: &str, limits: &ReadLimits) -> Diagnostic {
    Diagnostic::new(
        "E013",
        label,
        format!(
            "the input is larger than the limit of {} MiB per file",
            limits.max_file_bytes / MIB
        ),
        format!("if the input is right, raise the limit with {MAX_FILE_MB_ENV}=<MiB>"),
    )
}

/// Reads a file that [`check_regular`] accepted. The opened handle is checked again,
/// as the path may have been replaced in between, and reading stops past the limit
/// even if the file grew.
pub(super) fn read_regular(path: &Path, limits: &ReadLimits) -> Result<Vec<u8>, Diagnostic> {
    let label = display_path(path);
    let io = |e: std::io::Error| {
        Diagnostic::new(
            "E001",
            label.clone(),
            format!("cannot read the file: {e}"),
            "check that the file exists and is readable UTF-8 text",
        )
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(&label, &meta.file_type(), false));
    }
    let bytes = read_capped(file, limits.max_file_bytes).map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(over_limit(&label, limits));
    }
    Ok(bytes)
}

/// The error for a scenario whose files together pass [`ReadLimits::max_total_bytes`].
pub(super) fn total_too_large(label: &str, limits: &ReadLimits) -> Diagnostic {
    Diagnostic::new(
        "E013",
        label,
        format!(
            "reading this file takes the scenario's files past the limit of {} MiB together",
            limits.max_total_bytes / MIB
        ),
        format!(
            "if the includes are right, raise the limit with {MAX_FILE_MB_ENV}=<MiB> \
             (all files together may hold {TOTAL_FILES_FACTOR} times the per-file limit)"
        ),
    )
}

/// The bytes as UTF-8 text without a byte-order mark; other encodings are named.
pub(super) fn decode(bytes: Vec<u8>, label: &str) -> Result<String, Diagnostic> {
    let unreadable = |why: String| {
        Diagnostic::new(
            "E001",
            label,
            format!("cannot read the file: {why}"),
            "save the file as UTF-8 text",
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(unreadable("it is UTF-16 (or UTF-32) text".into()));
    }
    let mut bytes = bytes;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        // Editors on Windows write one; it is no part of the JSON.
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = super::json::line_column(&e.into_bytes()[..at]);
        unreadable(format!(
            "stream did not contain valid UTF-8 (first invalid byte at line {line}, column {column})"
        ))
    })
}
