//! `GET /events.atom?distribution=&patch=&person=`: the changes made on the site as an Atom
//! feed, newest first, each linking to its patch's page. Everything in it is escaped.

use crate::auth::read::PageReader;
use crate::error::PageFailure;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kdelta_db::EventFilter;
use serde::Deserialize;

/// What the feed filters on.
#[derive(Deserialize)]
pub struct FeedQuery {
    distribution: Option<String>,
    patch: Option<String>,
    person: Option<String>,
}

/// Entries in a feed.
const ENTRIES: i64 = 100;

/// `GET /events.atom`.
pub async fn get(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    if let Some(name) = &q.distribution {
        reader.check(name).map_err(PageFailure)?;
    }
    let distribution = crate::view::stored_id(&state, q.distribution.as_deref())
        .await
        .map_err(PageFailure)?;
    let filter = EventFilter {
        distribution,
        patch: q.patch.clone(),
        actor: q.person.clone(),
        before: None,
        limit: ENTRIES,
    };
    let events = crate::view::readable_events(&state, &reader, filter)
        .await
        .map_err(PageFailure)?;
    let updated = events.first().map_or(0, |e| e.at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("<title>kdelta: decisions about the delta</title>\n");
    out.push_str("<id>urn:kdelta:events</id>\n");
    out.push_str(&format!(
        "<updated>{}</updated>\n",
        kdelta_jobs::clock::rfc3339(updated)
    ));
    for e in &events {
        let link = crate::pages::patch_path(&e.distribution, &e.patch);
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>urn:kdelta:event:{}</id>\n", e.id));
        out.push_str(&format!(
            "<title>{}: {} {} of {}</title>\n",
            xml(&e.distribution),
            xml(&e.actor),
            xml(&e.what),
            xml(&e.patch)
        ));
        out.push_str(&format!(
            "<updated>{}</updated>\n",
            kdelta_jobs::clock::rfc3339(e.at)
        ));
        out.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml(&e.actor)
        ));
        out.push_str(&format!("<link href=\"{}\"/>\n", xml(&link)));
        out.push_str(&format!(
            "<content type=\"text\">version {}: {}</content>\n",
            e.version,
            xml(&e.after)
        ));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        out,
    )
        .into_response())
}

/// `text` escaped for XML text and attributes (as for HTML), without the characters XML
/// cannot hold.
fn xml(text: &str) -> String {
    let allowed = |c: &char| {
        ((*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
            && !matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    kdelta_report::escape::html(&text.chars().filter(allowed).collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_dropped() {
        assert_eq!(
            super::xml("<a href=\"x\">&'\u{1b}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
