//! Executes a plan in a browser: one function per step kind. Dry-run and the safety guard
//! are decided here, never in scripts.

pub mod batch;
mod capture;
mod code;
pub mod explore;
pub mod folder;
mod human;
mod person;
mod progress;
pub mod status;
mod steps;
mod walk;

use std::path::PathBuf;
use std::time::Duration;

use crate::browser::{Browser, LaunchOptions};
use crate::record::{now_rfc3339, Outcome, RunRecord, Sink};
use crate::said;
use crate::said::Said;
use crate::script::Plan;
use crate::secret::Redactor;

pub use progress::Progress;

/// Called as each step begins, with `[3/12] click 当前会员` (secrets masked).
pub type OnStep = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// Ways in for a caller that runs many plans: a line per step, and a stop signal.
#[derive(Clone, Default)]
pub struct Hooks {
    pub on_step: Option<OnStep>,
    /// Becomes `true` on Ctrl-C / SIGTERM: the run stops at once, closes the browser and
    /// writes what it has.
    pub cancel: Option<tokio::sync::watch::Receiver<bool>>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("on_step", &self.on_step.is_some())
            .field("cancel", &self.cancel.is_some())
            .finish()
    }
}

/// Resolves when the stop signal is raised (never, without one).
pub async fn cancelled(cancel: Option<tokio::sync::watch::Receiver<bool>>) {
    let Some(mut rx) = cancel else {
        return std::future::pending().await;
    };
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub hooks: Hooks,
    pub dry_run: bool,
    /// `jieyue status`: a dry-run that reports switch states (`mode: status`).
    pub status: bool,
    pub launch: LaunchOptions,
    /// `--code VALUE` (repeatable): verification codes given up front, for the code steps
    /// in order.
    pub code: Vec<String>,
    /// `--pause-on-login`: a person logs in in the window, then the run goes on.
    pub pause_on_login: bool,
    /// `--cookies FILE`: added for the start page's host before the first step.
    pub cookies: Vec<crate::browser::cookies::ImportedCookie>,
    /// Print a line per step on stderr.
    pub progress: bool,
}

/// Why a step stopped the run: the kind decides the outcome and its exit code, the text says
/// what was seen and what to do next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StepFail {
    #[error("{0}")]
    NotFound(Said),
    /// The page says the account has no membership or renewal to turn off.
    #[error("{0}")]
    NothingToCancel(Said),
    #[error("{0}")]
    Expectation(Said),
    #[error("{0}")]
    CodeNeeded(Said),
    #[error("{0}")]
    Refused(Said),
    #[error("{0}")]
    Browser(Said),
    /// The site is down or answered with an HTTP error.
    #[error("{0}")]
    Site(Said),
    /// The evidence folder cannot be written.
    #[error("{0}")]
    Evidence(Said),
    /// Ctrl-C or SIGTERM.
    #[error("{0}")]
    Interrupted(Said),
}

impl StepFail {
    fn outcome(&self) -> Outcome {
        match self {
            StepFail::NotFound(_) => Outcome::NotFound,
            StepFail::NothingToCancel(_) => Outcome::NothingToCancel,
            StepFail::Expectation(_) => Outcome::ExpectationFailed,
            StepFail::CodeNeeded(_) => Outcome::CodeNeeded,
            StepFail::Refused(_) => Outcome::Refused,
            StepFail::Browser(_) => Outcome::BrowserError,
            StepFail::Site(_) => Outcome::SiteError,
            StepFail::Evidence(_) => Outcome::EvidenceFailed,
            StepFail::Interrupted(_) => Outcome::Interrupted,
        }
    }

    fn message(&self) -> &Said {
        match self {
            StepFail::NotFound(m)
            | StepFail::NothingToCancel(m)
            | StepFail::Expectation(m)
            | StepFail::CodeNeeded(m)
            | StepFail::Refused(m)
            | StepFail::Browser(m)
            | StepFail::Site(m)
            | StepFail::Evidence(m)
            | StepFail::Interrupted(m) => m,
        }
    }
}

impl From<crate::browser::BrowserError> for StepFail {
    fn from(e: crate::browser::BrowserError) -> Self {
        match e {
            crate::browser::BrowserError::Command(e) => e.into(),
            e => StepFail::Browser(said!("fail.browser", problem = e.to_string())),
        }
    }
}

impl From<fantoccini::error::CmdError> for StepFail {
    fn from(e: fantoccini::error::CmdError) -> Self {
        if e.is_unexpected_alert_open() {
            return native_dialog(&e);
        }
        StepFail::Browser(said!("fail.browser", problem = e.to_string()))
    }
}

/// A native dialog the script does not answer got in the way of a command: what the page
/// did, not a browser that failed, and after a click the state is not known.
fn native_dialog(e: &fantoccini::error::CmdError) -> StepFail {
    let text = match e {
        fantoccini::error::CmdError::Standard(w) => w
            .data
            .as_ref()
            .and_then(|d| d.get("text"))
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    StepFail::Expectation(said!("fail.native_dialog", text = text))
}

/// What a step did, beyond "ok".
pub(crate) enum StepDone {
    Ok,
    /// The switch was already off: skip the change's own steps.
    AlreadyOff,
    /// Dry-run reached the first change: stop here.
    StopBeforeChange,
}

/// Ctrl-C or SIGTERM: the browser was closed; the evidence written so far is kept.
fn interrupted() -> Said {
    said!("fail.interrupted")
}

/// Runs the plan and returns its record. Each step's captures and the record after each
/// step go to `sink` as the run goes, so a crash loses nothing written before it. The
/// browser is closed on every path.
pub async fn run(plan: &Plan, opts: &RunOptions, sink: &mut dyn Sink) -> RunRecord {
    let redactor = plan.redactor();
    let mut record = walk::new_record(plan, opts, sink.place());
    let _ = sink.record(&record);
    let progress = Progress::new(opts.progress, plan.steps.len(), redactor.clone());
    let launched = tokio::select! {
        b = Browser::launch(&opts.launch) => Some(b),
        _ = cancelled(opts.hooks.cancel.clone()) => None,
    };
    let browser = match launched {
        None => {
            finish(
                &mut record,
                sink,
                Outcome::Interrupted,
                interrupted(),
                &redactor,
            );
            return record;
        }
        Some(Err(e)) => {
            let message = said!("fail.browser_start", problem = e.said());
            finish(&mut record, sink, Outcome::BrowserError, message, &redactor);
            let line = said!("fail.browser_start_line", problem = e.said());
            progress.fail_start(&redactor.redact(&line.here()));
            return record;
        }
        Some(Ok(b)) => b,
    };
    let mut walk = walk::Walk::new(&browser, plan, opts, sink, record, progress);
    walk.open().await;
    for step in &plan.steps {
        walk.step(step).await;
    }
    let (mut record, outcome, message) = walk.conclude().await;
    browser.close().await;
    finish(&mut record, sink, outcome, message, &redactor);
    record
}

/// A part of the run that talks to the browser, bounded by `limit` and by the stop signal.
/// A part that overruns its limit leaves the browser marked as stalled: nothing more is
/// asked of it, and closing it does not wait.
async fn bounded<T>(
    browser: &Browser,
    opts: &RunOptions,
    limit: Duration,
    work: impl std::future::Future<Output = Result<T, StepFail>>,
) -> Result<T, StepFail> {
    tokio::select! {
        r = tokio::time::timeout(limit, work) => r.unwrap_or_else(|_| {
            browser.mark_stalled();
            Err(StepFail::Browser(said!("fail.stalled", secs = limit.as_secs())))
        }),
        _ = cancelled(opts.hooks.cancel.clone()) => Err(StepFail::Interrupted(interrupted())),
    }
}

/// The record's end: its sentence in English for the record, and in the person's language
/// for the terminal, both with the secrets masked.
fn finish(
    record: &mut RunRecord,
    sink: &mut dyn Sink,
    outcome: Outcome,
    message: Said,
    redactor: &Redactor,
) {
    record.outcome = outcome;
    record.exit_code = outcome.exit_code();
    record.message = redactor.redact(&message.english());
    record.said = Some(redactor.redact(&message.here()));
    record.ended_at = Some(now_rfc3339());
    if let Err(e) = sink.record(record) {
        tracing::warn!("{e}");
    }
}

/// `evidence/<script>/<timestamp>/` under the current folder.
pub fn default_evidence_dir(plan: &Plan) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    PathBuf::from("evidence").join(plan.slug()).join(stamp)
}
