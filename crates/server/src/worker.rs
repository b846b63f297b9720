//! The background worker: polls each distribution's inputs (queue and upstream revisions,
//! annotations), queues a refresh when they moved, and runs the queued refreshes one at a
//! time. A refresh analyses the queue in a blocking thread and stores a snapshot; a failed
//! one keeps the last good snapshot and records its error. With several server processes on
//! one PostgreSQL database each job runs once: the database hands it to one worker.

use crate::config::DistributionConfig;
use crate::state::AppState;
use kdelta_analysis::compare::PatchFacts;
use kdelta_db::{Claimed, DbError, NewSnapshot, RefreshState};
use kdelta_report::Report;
use std::collections::BTreeMap;
use std::time::Duration;

/// Poll and refresh until `stop` says so.
pub async fn run(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = Duration::from_secs(state.config.poll_seconds.max(1));
    loop {
        if let Err(e) = cycle(&state).await {
            eprintln!("kdelta serve: worker: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = state.wake.notified() => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// One cycle: poll every distribution, then run every queued job.
pub async fn cycle(state: &AppState) -> Result<(), DbError> {
    for d in &state.config.distributions {
        poll(state, d).await?;
    }
    while let Some(claimed) = state
        .db
        .claim_refresh(&state.worker, kdelta_db::now())
        .await?
    {
        refresh(state, claimed).await?;
    }
    Ok(())
}

/// Queue a refresh of `d` when its inputs differ from those its newest refresh to end was
/// made from (a failure is not retried until something moves).
async fn poll(state: &AppState, d: &DistributionConfig) -> Result<(), DbError> {
    let Some(stored) = state.db.distribution(&d.name).await? else {
        return Ok(());
    };
    // One queued or running already: another worker (or this one) is on it.
    let busy = state
        .db
        .latest_refresh(stored.id)
        .await?
        .is_some_and(|r| matches!(r.state, RefreshState::Queued | RefreshState::Running));
    if busy {
        return Ok(());
    }
    // A distribution whose reports are pushed has nothing to poll.
    let Some(job) = d.job() else {
        return Ok(());
    };
    let annotations = d.annotations.clone();
    let now = tokio::task::spawn_blocking(move || {
        kdelta_jobs::inputs::inputs(&job, annotations.as_deref()).map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let now = match now {
        Ok(inputs) => inputs,
        // The refresh will fail the same way and say so on the page.
        Err(_) => String::from("unreadable"),
    };
    // A failure on these very inputs is not retried; on others it is, even when they are
    // the snapshot's again, so that the failure stops being shown.
    state
        .db
        .request_refresh_if_needed(stored.id, &now, "poll", kdelta_db::now())
        .await?;
    Ok(())
}

/// Run one claimed refresh job to its end.
async fn refresh(state: &AppState, claimed: Claimed) -> Result<(), DbError> {
    let stored = state.db.distribution_by_id(claimed.distribution).await?;
    let config = state
        .config
        .distributions
        .iter()
        .find(|d| d.name == stored.name)
        .cloned();
    let Some(config) = config else {
        let why = "the distribution is no longer in the configuration";
        return state
            .db
            .finish_refresh(claimed.job, Err(why), None, kdelta_db::now())
            .await;
    };
    let config_path = config.annotations.as_ref().map(|p| p.display().to_string());
    let made = tokio::task::spawn_blocking(move || analyse(&config))
        .await
        .unwrap_or_else(|e| {
            Err((
                String::from("unknown"),
                format!("the analysis stopped: {e}"),
            ))
        });
    let now = kdelta_db::now();
    match made {
        Ok(made) => {
            let (report, facts) = (&made.report, Some(made.facts.as_slice()));
            let id = store(
                state,
                claimed.distribution,
                report,
                facts,
                &made.inputs,
                now,
            )
            .await?;
            if let (Some(text), Some(path)) = (&made.annotations, &config_path) {
                let fingerprints = crate::overlay::fingerprints_of(&made.facts);
                let imported = crate::annotations::import(
                    state,
                    claimed.distribution,
                    text,
                    path,
                    &fingerprints,
                )
                .await;
                // The snapshot stands; the import is tried again at the next refresh.
                if let Err(e) = imported {
                    eprintln!("kdelta serve: importing {path}: {e}");
                }
            }
            state
                .db
                .finish_refresh(claimed.job, Ok(id), Some(&made.inputs), now)
                .await
        }
        Err((inputs, why)) => {
            eprintln!("kdelta serve: refreshing {}: {why}", stored.name);
            state
                .db
                .finish_refresh(claimed.job, Err(&why), Some(&inputs), now)
                .await
        }
    }
}

/// Store `report` (with the patches' `facts`, when known), made from `inputs`, as a
/// snapshot of `distribution`: what a refresh or a push makes.
pub(crate) async fn store(
    state: &AppState,
    distribution: kdelta_db::DistributionId,
    report: &Report,
    facts: Option<&[PatchFacts]>,
    inputs: &str,
    now: i64,
) -> Result<kdelta_db::SnapshotId, DbError> {
    let json = serde_json::to_string(report)?;
    let facts = facts.map(serde_json::to_string).transpose()?;
    let counts: BTreeMap<String, i64> = report
        .summary
        .by_status
        .iter()
        .map(|c| (c.status.as_str().to_string(), c.count as i64))
        .collect();
    state
        .db
        .add_snapshot(&NewSnapshot {
            distribution,
            taken_at: now,
            inputs,
            patches: report.summary.total as i64,
            counts: &counts,
            report: &json,
            facts: facts.as_deref(),
        })
        .await
}

/// What a refresh makes.
struct Made {
    /// What it was made from.
    inputs: String,
    /// The report.
    report: Report,
    /// What clustering knows of each patch.
    facts: Vec<PatchFacts>,
    /// The team's annotations file, as read.
    annotations: Option<String>,
}

/// Analyse `d` now: its inputs, report and patch facts, or its inputs and why it failed.
fn analyse(d: &DistributionConfig) -> Result<Made, (String, String)> {
    let Some(job) = d.job() else {
        let why = "the server does not read this distribution's queue: its reports are pushed";
        return Err((String::from("pushed"), why.into()));
    };
    let inputs = kdelta_jobs::inputs::inputs(&job, d.annotations.as_deref())
        .unwrap_or_else(|_| String::from("unreadable"));
    let fail = |e: kdelta_jobs::JobError| (inputs.clone(), kdelta_jobs::error::said(&e));
    let (annotations, text) = match &d.annotations {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| (inputs.clone(), format!("{}: {e}", path.display())))?;
            let annotations =
                kdelta_annotations::Annotations::parse(&text, &path.display().to_string())
                    .map_err(|e| fail(e.into()))?;
            (annotations, Some(text))
        }
        None => (kdelta_annotations::Annotations::default(), None),
    };
    let mut job = job;
    job.generated_at = Some(kdelta_jobs::clock::timestamp());
    let made = made_waiting(&job, &annotations).map_err(fail)?;
    let facts = made.facts();
    Ok(Made {
        inputs,
        report: made.report,
        facts,
        annotations: text,
    })
}

/// How long a refresh waits, at most, for another process to let go of the upstream index.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Make the report of `job`; while another process (another server, `kdelta index`) holds
/// the upstream index, wait for it and try again, for up to [`BUSY_WAIT`].
fn made_waiting(
    job: &kdelta_jobs::report::ReportJob,
    annotations: &kdelta_annotations::Annotations,
) -> Result<kdelta_jobs::report::Made, kdelta_jobs::JobError> {
    let start = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(100);
    loop {
        match kdelta_jobs::report::make_report(job, annotations, &mut kdelta_jobs::Silent) {
            Err(e) if e.is_busy() && start.elapsed() + pause < BUSY_WAIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_secs(10));
            }
            made => return made,
        }
    }
}
