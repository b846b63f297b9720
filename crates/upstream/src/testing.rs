//! Helpers for this crate's tests.

/// Fails the test, saying so, when git is missing: a test that cannot run must not pass.
pub(crate) fn require_git() {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "git is a prerequisite of the tests (README): it is not on PATH"
    );
}
