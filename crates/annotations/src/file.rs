//! Reading and writing the annotations file. Writes go to a temporary file in the same
//! directory, renamed over the old one, so a crash never leaves half a file behind. An edit
//! ([`update`]) holds an exclusive lock on the file's directory from reading the file to
//! renaming the new one into place, so concurrent editors never lose each other's edits.

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

/// Edit the file at `path`: `edit` gets its text (empty when there is no file) and returns
/// the new text, which replaces the file atomically. From reading to renaming, an exclusive
/// lock on the file's directory is held, so an edit made meanwhile by another process is
/// never overwritten: it is read first. A symlink is followed (the file it points to is
/// replaced, not the link). Temporary files a killed editor left are removed first.
pub fn update<E: From<AnnotationError>>(
    path: &Path,
    edit: impl FnOnce(&str) -> Result<String, E>,
) -> Result<(), E> {
    let target = followed(path).map_err(|e| io_error(path, e))?;
    let _lock = lock_directory(&target).map_err(|e| io_error(&target, e))?;
    remove_leftovers(&target).map_err(|e| io_error(&target, e))?;
    let text = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io_error(&target, e).into()),
    };
    let edited = edit(&text)?;
    write_atomically(&target, edited.as_bytes()).map_err(|e| io_error(&target, e).into())
}

/// Symlinks followed at most, as the kernel does.
const MAX_LINKS: usize = 40;

/// `path` with its symlinks followed to the file they name (which may not exist yet).
fn followed(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The directory holding `path`.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// An exclusive lock on the directory holding `path`, waited for; released when dropped.
/// The directory, not a lock file: nothing is left beside a file kept in git.
fn lock_directory(path: &Path) -> std::io::Result<std::fs::File> {
    let dir = std::fs::File::open(directory_of(path))?;
    dir.lock()?;
    Ok(dir)
}

/// The start and end of the names of temporary files written for `path`.
fn temp_affixes(path: &Path) -> (String, &'static str) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (format!(".{name}."), ".kdelta-tmp")
}

/// Remove the temporary files an editor of `path` killed mid-write left behind (only an
/// editor holding the lock writes them, so under the lock every one is a leftover).
fn remove_leftovers(path: &Path) -> std::io::Result<()> {
    let (prefix, suffix) = temp_affixes(path);
    for entry in std::fs::read_dir(directory_of(path))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(suffix) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Replace the file at `path` by `data` atomically: written and synced to a temporary file in
/// the same directory, which then takes the old file's permissions (`rw-r--r--` for a new
/// file) and is renamed over it. Every file kdelta writes (annotations, reports) goes this way,
/// so a crash never leaves half a file behind.
pub fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    staged(path, data)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `data` written and synced to a temporary file beside `path`, with the permissions and
/// owner `path` has (or those of a new file); removed when dropped unless persisted.
fn staged(path: &Path, data: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let (prefix, suffix) = temp_affixes(path);
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(directory_of(path))?;
    temp.write_all(data)?;
    temp.as_file().sync_all()?;
    keep_permissions(path, temp.path())?;
    Ok(temp)
}

/// Replace several files together: every one is written to its temporary file first, and
/// only when all are written (and none of their paths is a directory) are they renamed into
/// place. A failure before that changes none of them; the error names the file.
pub fn write_all_atomically(
    files: &[(std::path::PathBuf, Vec<u8>)],
) -> Result<(), (std::path::PathBuf, std::io::Error)> {
    let mut temps = Vec::with_capacity(files.len());
    for (path, data) in files {
        if path.is_dir() {
            let e = std::io::Error::other("is a directory, not a file it can replace");
            return Err((path.clone(), e));
        }
        temps.push(staged(path, data).map_err(|e| (path.clone(), e))?);
    }
    for (temp, (path, _)) in temps.into_iter().zip(files) {
        temp.persist(path).map_err(|e| (path.clone(), e.error))?;
    }
    Ok(())
}

/// Give `temp` the permissions and owner of the file it replaces, or the permissions of a
/// new file (`rw-r--r--` on Unix; a temporary file is only readable by its owner).
fn keep_permissions(path: &Path, temp: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(old) => {
            keep_owner(&old, temp)?;
            std::fs::set_permissions(temp, old.permissions())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_file_permissions(temp),
        Err(e) => Err(e),
    }
}

/// Give `temp` the owner and group of `old` when they differ from the writer's. Only a
/// privileged writer may give a file away; for others the group is kept when they belong to
/// it, and the file becomes theirs otherwise, as with any editor that renames over.
#[cfg(unix)]
fn keep_owner(old: &std::fs::Metadata, temp: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = std::fs::metadata(temp)?;
    if (mine.uid(), mine.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    let refused = |e: &std::io::Error| e.kind() == std::io::ErrorKind::PermissionDenied;
    match std::os::unix::fs::chown(temp, Some(old.uid()), Some(old.gid())) {
        Err(e) if refused(&e) => match std::os::unix::fs::chown(temp, None, Some(old.gid())) {
            Err(e) if refused(&e) => Ok(()),
            other => other,
        },
        other => other,
    }
}

#[cfg(not(unix))]
fn keep_owner(_old: &std::fs::Metadata, _temp: &Path) -> std::io::Result<()> {
    Ok(())
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
    fn concurrent_edits_are_all_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.toml");
        let writers: Vec<_> = (0..50)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    update(&path, |text| {
                        // Widen the window between reading and writing.
                        std::thread::yield_now();
                        Ok::<_, AnnotationError>(format!("{text}edit {i}\n"))
                    })
                })
            })
            .collect();
        for w in writers {
            w.join().expect("joined").expect("edited");
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for i in 0..50 {
            assert!(
                text.contains(&format!("edit {i}\n")),
                "edit {i} lost:\n{text}"
            );
        }
        assert_eq!(text.lines().count(), 50);
    }

    #[cfg(unix)]
    #[test]
    fn an_edit_through_a_symlink_reaches_its_file_and_keeps_the_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("real")).expect("dir");
        let file = dir.path().join("real/notes.toml");
        std::fs::write(&file, "a\n").expect("written");
        let link = dir.path().join("notes.toml");
        std::os::unix::fs::symlink("real/notes.toml", &link).expect("link");
        update(&link, |text| Ok::<_, AnnotationError>(format!("{text}b\n"))).expect("edited");
        assert!(std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "a\nb\n");
    }

    #[test]
    fn a_killed_editors_temporary_file_is_removed_by_the_next_edit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.toml");
        let left = dir.path().join(".a.toml.Xy12Zq.kdelta-tmp");
        std::fs::write(&left, "half").expect("written");
        let other = dir.path().join(".b.toml.Xy12Zq.kdelta-tmp");
        std::fs::write(&other, "another file's").expect("written");
        update(&path, |_| Ok::<_, AnnotationError>("x\n".into())).expect("edited");
        assert!(!left.exists());
        assert!(
            other.exists(),
            "another file's temporary file is its editor's business"
        );
    }

    #[test]
    fn a_refused_edit_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "kept\n").expect("written");
        let error = update(&path, |_| {
            Err::<String, _>(AnnotationError::Io {
                path: path.clone(),
                source: std::io::Error::other("refused"),
            })
        })
        .expect_err("refused");
        assert!(error.to_string().contains("refused"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "kept\n");
    }

    #[test]
    fn files_written_together_are_all_replaced_or_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b, c) = (
            dir.path().join("r.html"),
            dir.path().join("r.md"),
            dir.path().join("r.json"),
        );
        std::fs::write(&a, "old html").expect("written");
        std::fs::create_dir(&c).expect("a directory where a file goes");
        let files = vec![
            (a.clone(), b"new html".to_vec()),
            (b.clone(), b"new md".to_vec()),
            (c.clone(), b"{}".to_vec()),
        ];
        let (path, _) = write_all_atomically(&files).expect_err("json is a directory");
        assert_eq!(path, c);
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "old html");
        assert!(!b.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .filter(|n| n.to_string_lossy().ends_with(".kdelta-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir(&c).expect("removed");
        write_all_atomically(&files).expect("written");
        assert_eq!(std::fs::read_to_string(&b).expect("read"), "new md");
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
