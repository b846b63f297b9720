//! Snapshots of the text formats on the sample report (`src/render/snapshots/`): a change to
//! a renderer shows up as a diff to review. `INSTA_UPDATE=always cargo test -p kdelta-report`
//! (or `cargo insta review`) rewrites them.

use crate::sample::sample_report;

#[test]
fn markdown() {
    insta::assert_snapshot!(super::markdown::render(&sample_report()));
}

#[test]
fn mediawiki() {
    insta::assert_snapshot!(super::mediawiki::render(&sample_report()));
}

#[test]
fn csv() {
    insta::assert_snapshot!(super::csv::render(&sample_report()));
}

#[test]
fn json() {
    let json = super::json::render(&sample_report()).expect("the sample serialises");
    insta::assert_snapshot!(json);
}
