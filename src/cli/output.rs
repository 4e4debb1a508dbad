//! Writing results: to a file atomically, or to standard output.

use super::exit::{io_error, usage};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path`, or to standard output when no path is given.
pub fn emit(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => write_atomic(path, text),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| io_error("write", Path::new("standard output"), e).into()),
    }
}

/// Refuses an output path that is the input scenario.
pub fn refuse_input(out: &Path, scenario: &Path) -> Result<(), super::exit::CliError> {
    if same_file(out, scenario) {
        return Err(usage(
            "the output file is the scenario file; choose another -o path",
        ));
    }
    Ok(())
}

/// Whether `a` and `b` name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes through a temporary file in the same directory and renames it into place,
/// so that an interrupted run never leaves a half-written plan.
pub fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| usage(format!("{} is not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| io_error("write", path, e).into())
}
