//! Writing a file so that it is either complete or not there: the bytes go to a
//! temporary file in the target's directory (the same file system, so the rename is
//! atomic), are flushed to disk, and the file is renamed over the target.

use super::Error;
use std::io::Write;
use std::path::Path;

pub(super) fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |action: &'static str| {
        move |source: std::io::Error| Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sovplan-").suffix(".tmp");
    // tempfile creates files readable by the owner only; a spreadsheet should get the
    // usual permissions (0666 less the umask), like any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(io("create a file next to"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    tmp.as_file().sync_all().map_err(io("write"))?;
    tmp.persist(path).map_err(|e| io("replace")(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let err = write(Path::new("/nonexistent-sovplan-dir/x.xlsx"), b"x").unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent-sovplan-dir/x.xlsx"),
            "{err}"
        );
    }
}
