//! Reading and writing the annotations file. Writes go to a temporary file in the same
//! directory, renamed over the old one, so a crash never leaves half a file behind.

use crate::error::AnnotationError;
use crate::model::Annotations;
use std::io::Write;
use std::path::Path;

/// Read and parse the annotations file at `path`: its text and annotations, `None` when there
/// is no such file. Errors name the file as `path` shows it.
pub fn load(path: &Path) -> Result<Option<(String, Annotations)>, AnnotationError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, e)),
    };
    let annotations = Annotations::parse(&text, &path.display().to_string())?;
    Ok(Some((text, annotations)))
}

/// Replace the file at `path` by `text` atomically (see [`write_atomically`]).
pub fn save_atomically(path: &Path, text: &str) -> Result<(), AnnotationError> {
    write_atomically(path, text.as_bytes()).map_err(|e| io_error(path, e))
}

/// Replace the file at `path` by `data` atomically: written and synced to a temporary file in
/// the same directory, which then takes the old file's permissions (`rw-r--r--` for a new
/// file) and is renamed over it. Every file kdelta writes (annotations, reports) goes this way,
/// so a crash never leaves half a file behind.
pub fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(data)?;
    temp.as_file().sync_all()?;
    keep_permissions(path, temp.path())?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Give `temp` the permissions of the file it replaces, or those of a new file (`rw-r--r--`
/// on Unix; a temporary file is only readable by its owner).
fn keep_permissions(path: &Path, temp: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(old) => std::fs::set_permissions(temp, old.permissions()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_file_permissions(temp),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn new_file_permissions(temp: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(temp, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(_temp: &Path) -> std::io::Result<()> {
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> AnnotationError {
    AnnotationError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_loads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loaded = load(&dir.path().join("kdelta-annotations.toml")).expect("no error");
        assert!(loaded.is_none());
    }

    #[test]
    fn a_saved_file_loads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kdelta-annotations.toml");
        let text = "[patches.a]\nowner = \"Ann\"\n";
        save_atomically(&path, text).expect("saved");
        save_atomically(&path, text).expect("saved over");
        let (read, annotations) = load(&path).expect("loads").expect("exists");
        assert_eq!(read, text);
        assert_eq!(annotations.patches["a"].owner.as_deref(), Some("Ann"));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names,
            ["kdelta-annotations.toml"],
            "no temporary file is left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn saving_keeps_the_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.toml");
        save_atomically(&path, "").expect("saved");
        let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).expect("chmod");
        save_atomically(&path, "").expect("saved");
        assert_eq!(mode(&path), 0o664);
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "[patches.a]\nowner = 1\n").expect("written");
        let error = load(&path).expect_err("invalid");
        assert_eq!(
            error.to_string(),
            format!(
                "{}:2:9: owner: expected a string, found integer",
                path.display()
            )
        );
        let error =
            save_atomically(&dir.path().join("no/such/dir/a.toml"), "").expect_err("no dir");
        assert!(matches!(error, AnnotationError::Io { .. }), "{error}");
    }
}
