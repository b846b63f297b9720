use super::*;
use crate::{read_queue, Filters, QueueSpec};

#[test]
fn a_dropped_line_is_commented_out_with_its_reason() {
    let series = b"# the queue\na.patch\nb.patch -p0\nc.patch\n";
    let (out, n) = comment_out(
        series,
        &[(
            3,
            "drop-upstream: upstream as 0123456789ab\nin v6.13".into(),
        )],
        false,
    );
    assert_eq!(n, 1);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "# the queue\na.patch\n# b.patch -p0  # kdelta: drop-upstream: upstream as 0123456789ab in v6.13\nc.patch\n"
    );
}

#[test]
fn in_a_spec_the_patch_lines_of_the_number_go_too_and_percent_is_doubled() {
    let spec = b"Patch1: a.patch\nPatch02: b.patch\n%prep\n%setup -q\n%patch1 -p1\n%patch -P 2 -p1\n%patch -P 1 -P 2\n";
    let (out, n) = comment_out(spec, &[(2, "50% sure".into())], true);
    assert_eq!(n, 2);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "Patch1: a.patch\n# Patch02: b.patch  # kdelta: 50%% sure\n%prep\n%setup -q\n%patch1 -p1\n# %patch -P 2 -p1  # kdelta: 50%% sure\n%patch -P 1 -P 2\n"
    );
}

#[test]
fn the_copy_has_the_series_the_kept_patches_and_the_notes() -> Result<(), Box<dyn std::error::Error>>
{
    let tmp = tempfile::tempdir()?;
    let queue_dir = tmp.path().join("queue");
    std::fs::create_dir_all(queue_dir.join("sub"))?;
    std::fs::write(queue_dir.join("series"), "a.patch\nsub/b.patch\nc.patch\n")?;
    for name in ["a.patch", "sub/b.patch", "c.patch"] {
        std::fs::write(
            queue_dir.join(name),
            format!("Subject: {name}\n\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n"),
        )?;
    }
    let spec = QueueSpec::Path(queue_dir.clone());
    let queue = read_queue(&spec, &Filters::default())?;
    let files = QueueFiles::open(&spec)?.ok_or("no files")?;
    let out = tmp.path().join("new");
    let changes = [
        Change::Drop("drop-upstream".into()),
        Change::Bytes(b"refreshed\n".to_vec()),
        Change::Noted(b"# hunk 1 FAILED\n".to_vec()),
    ];
    let extra = [("plan.md".to_string(), b"# plan\n".to_vec())];
    let written = write_queue(&files, &queue, &changes, &extra, &out)?;
    assert_eq!(
        written,
        Written {
            series: Some("series".into()),
            patches: 2,
            rewritten: 1,
            notes: 1,
            dropped: 1
        }
    );
    assert_eq!(
        std::fs::read_to_string(out.join("series"))?,
        "# a.patch  # kdelta: drop-upstream\nsub/b.patch\nc.patch\n"
    );
    assert!(!out.join("a.patch").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("sub/b.patch"))?,
        "refreshed\n"
    );
    assert_eq!(
        std::fs::read(out.join("c.patch"))?,
        std::fs::read(queue_dir.join("c.patch"))?
    );
    assert_eq!(
        std::fs::read_to_string(out.join("c.patch.rej"))?,
        "# hunk 1 FAILED\n"
    );
    assert_eq!(std::fs::read_to_string(out.join("plan.md"))?, "# plan\n");

    // A destination with something in it is refused, and left alone.
    let err = write_queue(&files, &queue, &changes, &[], &out)
        .err()
        .ok_or("refused")?;
    assert!(err.to_string().contains("not empty"), "{err}");
    assert!(out.join("series").exists());
    let leftovers = std::fs::read_dir(tmp.path())?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".kdelta"))
        .count();
    assert_eq!(leftovers, 0, "no staging directory left behind");
    Ok(())
}

#[test]
fn a_path_climbing_out_is_refused() {
    let dir = Path::new("/tmp/x");
    assert!(inside(dir, "../etc/passwd").is_err());
    assert!(inside(dir, "/etc/passwd").is_err());
    assert!(inside(dir, "a/b.patch").is_ok());
}
