//! Writing results: to a file atomically, through to a device or FIFO, or to standard
//! output; and the checks that run before any work, so that a bad `-o` fails at once.
//!
//! How `-o PATH` is written (README, "Writing results"):
//! - a new or regular file is replaced atomically: a temporary file created exclusively
//!   (random name, `O_EXCL`, never through a symlink) in the same directory, written,
//!   synced and renamed over it; a replaced file keeps its permission bits;
//! - a symlink to a regular file is followed: the file it points to is replaced (the
//!   link stays); a dangling symlink is refused;
//! - a device, a FIFO or a socket, and any path under `/dev/` or `/proc/` (e.g.
//!   `/dev/stdout`), is written through, appending, never replaced;
//! - a directory, and every file the command reads (the scenario and all its includes,
//!   the plans compared), is refused with exit 2.

use super::exit::{io_error, usage, CliError};
use std::fs::{self, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Writes `text` to `path`, or to standard output when no path is given.
pub fn emit(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => write(path, text),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| io_error("write", Path::new("standard output"), e).into()),
    }
}

/// How an output path is written.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// Replaced atomically: `file` (the path, or where its symlink points), with the
    /// permission bits it has (`None` for a new file).
    Replace { file: PathBuf, mode: Option<u32> },
    /// Written through (devices, FIFOs, `/dev/stdout`).
    Through,
}

/// Before any work: `out` can be written (its directory exists and takes a new file)
/// and is none of `inputs` (`role` says what they are, for the message). Errors exit 2.
pub fn preflight(out: &Path, inputs: &[PathBuf], role: &str) -> anyhow::Result<()> {
    refuse_inputs(out, inputs, role)?;
    match target(out)? {
        Target::Through => Ok(()),
        Target::Replace { file, .. } => {
            // Creating (and dropping) a temporary file is the one test that covers
            // missing directories, permissions, read-only file systems and quotas.
            tempfile::Builder::new()
                .prefix(".sovplan-check.")
                .tempfile_in(dir_of(&file))
                .map(drop)
                .map_err(|e| io_error("write", out, e).into())
        }
    }
}

/// Refuses an output path that is one of the files the command reads (the same file,
/// also through a symlink or a hard link).
pub fn refuse_inputs(out: &Path, inputs: &[PathBuf], role: &str) -> Result<(), CliError> {
    let Ok(o) = fs::metadata(out) else {
        return Ok(());
    };
    for input in inputs {
        if fs::metadata(input).is_ok_and(|i| i.dev() == o.dev() && i.ino() == o.ino()) {
            return Err(usage(format!(
                "the output file {} is {} ({role}); choose another -o path",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// The scenario file and every file it includes, directly or not (includes resolve
/// against the including file's directory, as the reader resolves them).
/// [`SCENARIO_FILES`] describes them in messages. Files that
/// cannot be read or parsed are listed but not followed: loading reports them.
pub fn scenario_files(scenario: &Path) -> Vec<PathBuf> {
    let mut files = vec![scenario.to_path_buf()];
    let mut i = 0;
    while i < files.len() {
        let file = files[i].clone();
        i += 1;
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let base = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let includes = value.get("include").and_then(|v| v.as_array());
        for inc in includes.into_iter().flatten().filter_map(|v| v.as_str()) {
            let path = base.join(inc);
            if !files.iter().any(|f| same_file(f, &path)) {
                files.push(path);
            }
        }
    }
    files
}

/// What [`scenario_files`] are, for [`preflight`]'s message.
pub const SCENARIO_FILES: &str = "the scenario file or a file it includes";

/// Whether `a` and `b` name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => a == b,
    }
}

/// How `path` is written (see the module documentation).
fn target(path: &Path) -> anyhow::Result<Target> {
    if passes_through(path) {
        return Ok(Target::Through);
    }
    let link = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            path.file_name()
                .ok_or_else(|| usage(format!("{} is not a file path", path.display())))?;
            let file = path.to_path_buf();
            return Ok(Target::Replace { file, mode: None });
        }
        Err(e) => return Err(io_error("write", path, e).into()),
        Ok(m) => m,
    };
    let meta = fs::metadata(path).map_err(|_| {
        usage(format!(
            "{} is a symlink to a missing file; remove it or point it at a file",
            path.display()
        ))
    })?;
    if meta.is_dir() {
        return Err(usage(format!("{} is a directory", path.display())).into());
    }
    if !meta.is_file() {
        return Ok(Target::Through);
    }
    let file = if link.file_type().is_symlink() {
        fs::canonicalize(path).map_err(|e| io_error("write", path, e))?
    } else {
        path.to_path_buf()
    };
    let mode = Some(meta.permissions().mode() & 0o7777);
    Ok(Target::Replace { file, mode })
}

/// Paths under `/dev/` and `/proc/` are written through: `/dev/stdout` may lead to the
/// file the shell redirected to (`>> log`), which replacing would destroy.
fn passes_through(path: &Path) -> bool {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.starts_with("/dev") || abs.starts_with("/proc")
}

fn dir_of(file: &Path) -> &Path {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `text` to `path` as the module documentation describes.
pub fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` (e.g. a workbook) to `path` as the module documentation describes.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    match target(path)? {
        Target::Through => OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| io_error("write", path, e).into()),
        Target::Replace { file, mode } => {
            replace(&file, mode, bytes).map_err(|e| io_error("write", path, e).into())
        }
    }
}

/// Writes through a temporary file created exclusively in `file`'s directory and
/// renames it over `file`, so that an interrupted run never leaves a half-written file
/// and a link planted at the temporary name is never followed.
fn replace(file: &Path, mode: Option<u32>, bytes: &[u8]) -> std::io::Result<()> {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    // A new file gets what `File::create` gives it (0666 less the umask).
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir_of(file))?;
    if let Some(mode) = mode {
        tmp.as_file()
            .set_permissions(Permissions::from_mode(mode))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_at_the_old_predictable_temp_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "keep").unwrap();
        let plan = dir.path().join("plan.json");
        let old_name = format!(".plan.json.tmp-{}", std::process::id());
        std::os::unix::fs::symlink(&victim, dir.path().join(old_name)).unwrap();
        write(&plan, "{}\n").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&plan).unwrap(), "{}\n");
    }

    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_symlink_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn dangling_links_directories_and_missing_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(preflight(&dangling, &[], "").is_err());
        assert!(preflight(dir.path(), &[], "").is_err());
        assert!(preflight(&dir.path().join("no/such/dir/plan.json"), &[], "").is_err());
        assert!(preflight(&dir.path().join("plan.json"), &[], "").is_ok());
        assert_eq!(target(Path::new("/dev/stdout")).unwrap(), Target::Through);
    }
}
