//! A patch's page: what the analysis found (status, evidence, candidates, header claims),
//! whom to send it to, the decisions recorded about it on the site and in the team's
//! annotations, their history, and — for a signed-in member — forms to note and claim it.
//! A form based on an old version shows what changed meanwhile, and keeps the text typed.

use crate::auth::read::PageReader;
use crate::auth::{require, MaybeCaller, Via};
use crate::decision::{ClaimState, Decision};
use crate::error::{Failure, PageFailure};
use crate::state::AppState;
use crate::view::{configured, DistributionView};
use crate::write::{role_for, write, Body};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use kdelta_db::{EventFilter, Role};
use kdelta_report::model::PatchReport;
use maud::{html, Markup};
use serde::Deserialize;

/// `GET /distributions/{name}/patches/{patch}`.
pub async fn get(
    State(state): State<AppState>,
    Path((name, patch)): Path<(String, String)>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    reader.check(&name).map_err(PageFailure)?;
    show(&state, &name, &patch, reader.caller.as_ref(), None).await
}

/// A message above the forms, and the text the person had typed.
struct Notice {
    message: String,
    typed: Option<String>,
}

async fn show(
    state: &AppState,
    name: &str,
    patch: &str,
    caller: Option<&crate::auth::Caller>,
    notice: Option<Notice>,
) -> Result<Response, PageFailure> {
    let d = configured(state, name).map_err(PageFailure)?;
    let view = DistributionView::of(state, d).await.map_err(PageFailure)?;
    let current = crate::current::current(state, view.stored.id)
        .await
        .map_err(PageFailure)?
        .ok_or_else(|| PageFailure(Failure::NotFound("analysis yet".into())))?;
    let report = &current.report;
    let p = report
        .patch(patch)
        .ok_or_else(|| PageFailure(Failure::NotFound(format!("patch {patch:?}"))))?;
    let stored = state.db.decision(view.stored.id, patch).await?;
    let (decision, version) = match &stored {
        Some(s) => (
            serde_json::from_str::<Decision>(&s.state).unwrap_or_default(),
            s.version,
        ),
        None => (Decision::default(), 0),
    };
    let events = state
        .db
        .events(&EventFilter {
            distribution: Some(view.stored.id),
            patch: Some(patch.to_string()),
            limit: 200,
            ..EventFilter::default()
        })
        .await?;
    let can_write = caller.is_some_and(|c| c.role_on(name).is_some_and(|r| r >= Role::Member));
    let body = html! {
        p { a href=(super::distribution_path(name)) { (view.title) } " · patch " (p.position) " of " (report.patches.len()) }
        @if let Some(n) = &notice { p role="alert" style="border:2px solid #b00;padding:0.5rem 1rem" { (n.message) } }
        (analysis(p))
        (decisions(&decision, version, p))
        @if can_write {
            @if let Some(Via::Session { csrf }) = caller.map(|c| &c.via) {
                (forms(name, patch, csrf, version, notice.as_ref().and_then(|n| n.typed.as_deref())))
            }
        } @else if caller.is_none() {
            p { a href=(format!("/login?next={}", super::patch_path(name, patch))) { "Sign in" } " to note or claim this patch." }
        }
        h2 { "History" }
        @if events.is_empty() { p { "No change recorded on this site yet." } }
        ul {
            @for e in &events {
                li { (super::when(e.at)) " — " strong { (e.actor) } " " (e.what) " (version " (e.version) ")" }
            }
        }
        @if !p.history.is_empty() {
            h3 { "In the team's annotations file" }
            ul { @for h in &p.history { li { (h.on) " — " (h.by) ": " (h.change) } } }
        }
    };
    Ok(super::page_for(
        caller,
        &format!("{}: {}", view.title, p.name),
        body,
    ))
}

/// What the analysis says.
fn analysis(p: &PatchReport) -> Markup {
    html! {
        h2 { (p.subject.as_deref().unwrap_or(&p.name)) }
        p {
            span class=(format!("badge st-{}", p.status.as_str())) { (p.status.as_str()) }
            " confidence " (format!("{:.2}", p.confidence))
            @if let Some(c) = &p.commit { " · upstream " code { (c) } }
            @if let Some(r) = &p.release { " in " (r) }
            @if let Some(a) = &p.author { " · by " (a) }
        }
        h3 { "Evidence" }
        ul { @for e in &p.evidence { li { (e.detail) } } }
        @if !p.candidates.is_empty() {
            h3 { "Upstream candidates" }
            ul { @for c in &p.candidates {
                li { code { (c.commit.get(..12).unwrap_or(&c.commit)) } " " (c.subject) " — score " (format!("{:.2}", c.score)) " (" (c.reasons.join(", ")) ")" }
            } }
        }
        @if !p.claims.is_empty() {
            h3 { "What the headers claim" }
            ul { @for c in &p.claims { li { (c.header) ": " (c.text) " — " (c.detail) } } }
        }
        @if !p.send_to.is_empty() {
            h3 { "Send it to" }
            ul { @for s in &p.send_to { li { (s) } } }
        }
    }
}

/// The decisions recorded on the site and in the annotations.
fn decisions(d: &Decision, version: i64, p: &PatchReport) -> Markup {
    html! {
        h2 { "Decisions" }
        @if let Some(c) = &d.claim {
            p { "Claim: " strong { (c.by) } " — " (format!("{:?}", c.state).to_lowercase())
                @if let Some(l) = &c.link { " " a href=(l) rel="nofollow noreferrer" { (l) } } }
        }
        @if let Some(o) = &d.status {
            p { "Status set by " (o.by) ": " strong { (o.status.as_str()) } " — " (o.reason) }
        }
        @if let Some(owner) = d.owner.as_ref().or(p.owner.as_ref()) { p { "Owner: " (owner) } }
        // The notes of the annotations file and of this site, and the claim, as the report
        // lists them.
        @if !p.notes.is_empty() {
            ul { @for n in &p.notes { li { (n) } } }
        }
        p style="color:#555" { "Version " (version) " of this patch's decisions." }
    }
}

/// The note and claim forms, based on `version`.
fn forms(name: &str, patch: &str, csrf: &str, version: i64, typed: Option<&str>) -> Markup {
    let action = |what: &str| format!("{}/{what}", super::patch_path(name, patch));
    html! {
        form method="post" action=(action("notes")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(version);
            p { label { "Note" br; textarea name="text" rows="3" cols="70" required { (typed.unwrap_or("")) } } }
            p { label { "Link (optional) " input type="url" name="link" size="50"; } }
            p { button type="submit" { "Add the note" } }
        }
        form method="post" action=(action("claims")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(version);
            p {
                label { "Claim " select name="state" {
                    @for s in [ClaimState::Claimed, ClaimState::Posted, ClaimState::Merged, ClaimState::Abandoned] {
                        @let s = format!("{s:?}").to_lowercase();
                        option value=(s) { (s) }
                    }
                } }
                " " label { "link " input type="url" name="link" size="40"; }
                " " button type="submit" { "Set the claim" }
            }
        }
    }
}

/// A form's fields.
#[derive(Deserialize)]
pub struct PatchForm {
    csrf: String,
    version: i64,
    text: Option<String>,
    link: Option<String>,
    state: Option<ClaimState>,
}

/// `POST /distributions/{name}/patches/{patch}/{notes|claims}` from the forms.
pub async fn post(
    State(state): State<AppState>,
    Path((name, rest)): Path<(String, String)>,
    MaybeCaller(caller): MaybeCaller,
    Form(form): Form<PatchForm>,
) -> Result<Response, PageFailure> {
    let (patch, what) = rest
        .rsplit_once('/')
        .ok_or_else(|| PageFailure(Failure::NotFound(format!("{rest:?}"))))?;
    let role = role_for(what).ok_or_else(|| PageFailure(Failure::NotFound(format!("{what:?}"))))?;
    let page = super::patch_path(&name, patch);
    let Some(caller) = caller else {
        return Ok(super::login::redirect(&format!("/login?next={page}")));
    };
    let caller = require(Some(caller), &name, role, Some(&form.csrf)).map_err(PageFailure)?;
    let body = Body {
        version: form.version,
        text: form.text.clone(),
        link: form.link.clone().filter(|l| !l.trim().is_empty()),
        state: form.state,
        status: None,
    };
    match write(&state, &name, patch, what, &caller.user.name, &body).await {
        Ok(_) => Ok(super::login::redirect(&page)),
        Err(Failure::Conflict(_)) => {
            let notice = Notice {
                message: "Someone changed this patch's decisions while you were writing: here they are now. Your text is kept below; send it again if it still holds.".into(),
                typed: form.text,
            };
            show(&state, &name, patch, Some(&caller), Some(notice)).await
        }
        Err(Failure::BadRequest(why)) => {
            let notice = Notice {
                message: why,
                typed: form.text,
            };
            show(&state, &name, patch, Some(&caller), Some(notice)).await
        }
        Err(other) => Err(PageFailure(other)),
    }
}
