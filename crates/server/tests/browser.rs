//! The site in headless Chromium, as a person uses it: sign in, note a patch, claim it, meet
//! a conflict, filter the live report, read the common delta. Ignored unless asked for
//! (`cargo test -p kdelta-server --test browser -- --include-ignored`; `.ci/run` does), as
//! the report's browser tests are: they need Chromium.

mod support;

#[path = "../../report/tests/browser/cdp.rs"]
mod cdp;

use kdelta_db::Role;
use kdelta_server::admin::{admin_on, Admin};
use std::net::SocketAddr;
use std::path::PathBuf;
use support::{config_two, post, write_fixture, write_other};

/// The Chromium binary; a missing one fails the test rather than letting it pass untested.
fn browser() -> PathBuf {
    let path = std::env::var_os("PATH").expect("PATH");
    ["chromium", "chromium-browser"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .expect("chromium not installed; .ci/run installs it")
}

/// The text of the page's body.
fn text(tab: &mut cdp::Tab) -> String {
    tab.eval("document.body.innerText")
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Go to `path` and wait for it.
fn visit(tab: &mut cdp::Tab, addr: SocketAddr, path: &str) {
    tab.eval(&format!("location.href = 'http://{addr}{path}'"));
    tab.wait_for(&format!(
        "location.pathname === '{}' && document.readyState === 'complete'",
        path.split(['?', '#']).next().unwrap_or(path)
    ));
}

/// Submit the form holding the field `field` and wait for the page at `then`.
fn submit(tab: &mut cdp::Tab, field: &str, then: &str) {
    tab.eval(&format!(
        "window.kdeltaOld = document.body; document.querySelector('[name={field}]').form.submit()"
    ));
    tab.wait_for(&format!(
        "document.body !== window.kdeltaOld && location.pathname === '{then}' && document.readyState === 'complete'"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium: cargo test -p kdelta-server --test browser -- --include-ignored"]
async fn sign_in_note_claim_conflict_filter_common_delta() {
    let chromium = browser();
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    let url = format!("sqlite://{}", dir.path().join("site.db").display());
    let state = support::refreshed(&url, config_two(dir.path())).await;
    let add = |name: &str, password: Option<&str>| Admin::UserAdd {
        name: name.into(),
        role: Role::Member,
        distributions: vec!["fixture".into()],
        password: password.map(str::to_string),
    };
    admin_on(&state.db, add("ada", Some("correct horse")))
        .await
        .expect("ada");
    admin_on(&state.db, add("bob", None)).await.expect("bob");
    let bob = kdelta_server::admin::create_token(&state.db, "bob", "test")
        .await
        .expect("token");
    let running = support::listen(&state).await;
    let addr = running.addr;
    let profile = dir.path().join("profile");
    tokio::task::spawn_blocking(move || walk(&chromium, addr, &profile, &bob))
        .await
        .expect("the walk");
    running.stop().await.expect("stop");
}

fn walk(chromium: &std::path::Path, addr: SocketAddr, profile: &std::path::Path, bob: &str) {
    let page = "/distributions/fixture/patches/carried.patch";
    let mut tab = cdp::Tab::open(
        chromium,
        &format!("http://{addr}/login?next={page}"),
        profile,
    );

    // Sign in.
    tab.eval("document.querySelector('[name=name]').value = 'ada'");
    tab.eval("document.querySelector('[name=password]').value = 'correct horse'");
    submit(&mut tab, "password", page);
    assert!(
        text(&mut tab).contains("Signed in as ada"),
        "{}",
        text(&mut tab)
    );

    // Note, then claim.
    tab.eval("document.querySelector('[name=text]').value = 'sent to <b>the list</b>'");
    submit(&mut tab, "text", page);
    assert!(text(&mut tab).contains("sent to <b>the list</b> — ada"));
    tab.eval("document.querySelector('[name=state]').value = 'posted'");
    tab.eval("document.querySelectorAll('[name=link]')[1].value = 'https://lore.kernel.org/x'");
    submit(&mut tab, "state", page);
    assert!(
        text(&mut tab).contains("Claim: ada — posted"),
        "{}",
        text(&mut tab)
    );

    // Someone notes through the API while ada writes: her form meets a conflict and keeps her text.
    let version = tab.eval("document.querySelector('[name=version]').value");
    let body = format!(
        r#"{{"version": {}, "text": "bob was first"}}"#,
        version.as_str().unwrap_or("0")
    );
    let answer = post(
        addr,
        &format!("/api/v1{page}/notes"),
        &[("Authorization", &format!("Bearer {bob}"))],
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    tab.eval("document.querySelector('[name=text]').value = 'my late note'");
    tab.eval(
        "window.kdeltaOld = document.body; document.querySelector('[name=text]').form.submit()",
    );
    tab.wait_for("document.body !== window.kdeltaOld && document.readyState === 'complete'");
    let shown = text(&mut tab);
    assert!(shown.contains("Someone changed this patch"), "{shown}");
    assert!(shown.contains("bob was first — bob"));
    assert_eq!(
        tab.eval("document.querySelector('[name=text]').value"),
        "my late note"
    );

    // The live report, filtered from its URL, under the server's policy: its script runs.
    visit(&mut tab, addr, "/distributions/fixture#status=upstream");
    tab.wait_for("document.querySelectorAll('#patches tbody tr').length > 0");
    let shown: Vec<String> = serde_json::from_value(tab.eval(
        "Array.from(document.querySelectorAll('#patches tbody tr')).filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.status)",
    ))
    .unwrap_or_default();
    assert_eq!(shown, ["upstream"], "only the upstream patch shows");

    // The common delta: the change both carry, with its owner.
    visit(&mut tab, addr, "/common-delta");
    let shown = text(&mut tab);
    assert!(
        shown.contains("1 changes carried by two or more"),
        "{shown}"
    );
    assert!(shown.contains("carried.patch") && shown.contains("0001-g.patch"));
    assert!(shown.contains("owner: Ada <ada@example.org>"));
}
