//! The site as a person uses it: sign in, note and claim a patch from its page, meet a
//! conflict without losing what was typed, be refused without the CSRF token, be slowed
//! down after failed sign-ins, sign out.

mod support;

use kdelta_db::Role;
use kdelta_server::admin::{admin_on, Admin};
use std::net::SocketAddr;
use support::{
    config_two, databases, get, hidden, post_form, set_cookie, write_fixture, write_other,
};

const PAGE: &str = "/distributions/fixture/patches/carried.patch";

/// Sign `name` in: the session cookie.
fn sign_in(addr: SocketAddr, name: &str, password: &str) -> Option<String> {
    let form = get(addr, "/login?next=/people", &[]);
    let login = set_cookie(&form, "kdelta_login").expect("a form token cookie");
    let token = hidden(&form.body, "token").expect("a form token");
    let cookie = format!("kdelta_login={login}");
    let answer = post_form(
        addr,
        "/login",
        &[("Cookie", &cookie)],
        &[
            ("name", name),
            ("password", password),
            ("token", &token),
            ("next", "/people"),
        ],
    );
    if answer.status != 303 {
        return None;
    }
    assert_eq!(answer.header("location"), Some("/people"));
    set_cookie(&answer, "kdelta_session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_note_claim_conflict_sign_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "session").await {
        let state = support::refreshed(&url, config_two(dir.path())).await;
        let add = Admin::UserAdd {
            name: "ada".into(),
            role: Role::Member,
            distributions: vec!["fixture".into()],
            password: Some("correct horse".into()),
        };
        admin_on(&state.db, add).await.expect("user");
        let running = support::listen(&state).await;
        let addr = running.addr;
        tokio::task::spawn_blocking(move || walk(addr))
            .await
            .expect("the walk");
        running.stop().await.expect("stop");
    }
}

fn walk(addr: SocketAddr) {
    // Signed out: the page offers to sign in, and no form.
    let page = get(addr, PAGE, &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Sign in</a> to note or claim"));
    assert!(!page.body.contains("name=\"csrf\""));

    assert!(sign_in(addr, "ada", "wrong").is_none());
    let session = sign_in(addr, "ada", "correct horse").expect("signed in");
    let cookie = format!("kdelta_session={session}");
    for path in ["/", "/people", "/distributions/fixture/history"] {
        let page = get(addr, path, &[("Cookie", &cookie)]);
        assert!(
            page.body.contains("Signed in as <strong>ada</strong>"),
            "{path}"
        );
    }
    let page = get(addr, PAGE, &[("Cookie", &cookie)]);
    assert!(page.body.contains("Signed in as <strong>ada</strong>"));
    let csrf = hidden(&page.body, "csrf").expect("a form");
    let version = hidden(&page.body, "version").expect("a version");
    assert_eq!(version, "0");

    // A form without its CSRF token is refused.
    let forged = post_form(
        addr,
        &format!("{PAGE}/notes"),
        &[("Cookie", &cookie)],
        &[("csrf", "x"), ("version", "0"), ("text", "forged")],
    );
    assert_eq!(forged.status, 403);

    let noted = post_form(
        addr,
        &format!("{PAGE}/notes"),
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("version", "0"),
            ("text", "posted <b>v2</b>"),
            ("link", ""),
        ],
    );
    assert_eq!(noted.status, 303, "{}", noted.body);
    let claimed = post_form(
        addr,
        &format!("{PAGE}/claims"),
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("state", "posted"),
            ("link", "https://lore.kernel.org/x"),
        ],
    );
    assert_eq!(claimed.status, 303, "{}", claimed.body);
    let page = get(addr, PAGE, &[("Cookie", &cookie)]);
    assert!(
        page.body.contains("posted &lt;b&gt;v2&lt;/b&gt; — ada"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Claim: <strong>ada</strong> — posted"));
    assert_eq!(hidden(&page.body, "version").as_deref(), Some("2"));

    // A form based on version 1 meets version 2: the page says so and keeps the text.
    let late = post_form(
        addr,
        &format!("{PAGE}/notes"),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf), ("version", "1"), ("text", "my late note")],
    );
    assert_eq!(late.status, 200);
    assert!(late.body.contains("Someone changed this patch"));
    assert!(late.body.contains(">my late note</textarea>"));

    // Signed out, the session is gone.
    let out = post_form(addr, "/logout", &[("Cookie", &cookie)], &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    let page = get(addr, PAGE, &[("Cookie", &cookie)]);
    assert!(page.body.contains("Sign in</a> to note or claim"));

    // Too many failed sign-ins for one account: refused for a while, right password or not.
    for _ in 0..5 {
        assert!(sign_in(addr, "ada", "guess").is_none());
    }
    assert!(sign_in(addr, "ada", "correct horse").is_none());
}
