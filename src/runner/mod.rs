//! Executes a plan in a browser: one function per step kind. Dry-run and the safety guard
//! are decided here, never in scripts.

pub mod batch;
mod capture;
mod code;
pub mod folder;
mod human;
mod person;
mod progress;
pub mod status;
mod steps;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::browser::{Browser, LaunchOptions};
use crate::locate::SwitchState;
use crate::record::{now_rfc3339, Outcome, RunRecord, Sink, StepRecord, StepStatus};
use crate::script::{Action, Plan};
use crate::secret::mask_account;

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
    NotFound(String),
    /// The page says the account has no membership or renewal to turn off.
    #[error("{0}")]
    NothingToCancel(String),
    #[error("{0}")]
    Expectation(String),
    #[error("{0}")]
    CodeNeeded(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Browser(String),
    /// The site is down or answered with an HTTP error.
    #[error("{0}")]
    Site(String),
    /// The evidence folder cannot be written.
    #[error("{0}")]
    Evidence(String),
    /// Ctrl-C or SIGTERM.
    #[error("{0}")]
    Interrupted(String),
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

    fn message(&self) -> &str {
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
        StepFail::Browser(format!("browser: {e}"))
    }
}

impl From<fantoccini::error::CmdError> for StepFail {
    fn from(e: fantoccini::error::CmdError) -> Self {
        StepFail::Browser(format!("browser: {e}"))
    }
}

/// What a step did, beyond "ok".
pub(crate) enum StepDone {
    Ok,
    /// The switch was already off: skip the change's own steps.
    AlreadyOff,
    /// Dry-run reached the first change: stop here.
    StopBeforeChange,
}

const INTERRUPTED: &str =
    "interrupted (Ctrl-C or SIGTERM): the browser was closed; the evidence written so far is kept";

/// Runs the plan and returns its record; the record and the evidence files are written as
/// the run goes. The browser is closed on every path.
pub async fn run(plan: &Plan, opts: &RunOptions, recorder: &mut dyn Sink) -> RunRecord {
    let redactor = plan.redactor();
    let mut record = RunRecord {
        schema: crate::record::SCHEMA,
        tool_version: env!("CARGO_PKG_VERSION"),
        script: plan.source.display().to_string(),
        platform: plan.name.clone(),
        carrier: plan.carrier.as_str().to_string(),
        mode: if opts.status {
            "status"
        } else if opts.dry_run {
            "dry-run"
        } else {
            "run"
        }
        .to_string(),
        account: plan.account.as_deref().map(mask_account),
        browser: format!("{:?}", opts.launch.kind).to_lowercase(),
        started_at: now_rfc3339(),
        ended_at: None,
        steps: Vec::new(),
        outcome: Outcome::InProgress,
        exit_code: 0,
        message: String::new(),
        switch_before: None,
        switch_after: None,
        evidence_dir: recorder.place().display().to_string(),
    };
    let _ = recorder.record(&record);
    let progress = Progress::new(opts.progress, plan.steps.len(), redactor.clone());

    let launched = tokio::select! {
        b = Browser::launch(&opts.launch) => Some(b),
        _ = cancelled(opts.hooks.cancel.clone()) => None,
    };
    let Some(launched) = launched else {
        finish(
            &mut record,
            recorder,
            Outcome::Interrupted,
            INTERRUPTED.into(),
        );
        return record;
    };
    let browser = match launched {
        Ok(b) => b,
        Err(e) => {
            let fail = StepFail::Browser(format!("{e}"));
            finish(
                &mut record,
                recorder,
                Outcome::BrowserError,
                redactor.redact(fail.message()),
            );
            progress.fail_start(&record.message);
            return record;
        }
    };
    let mut exec = steps::Exec {
        browser: &browser,
        plan,
        opts,
        recorder,
        redactor: redactor.clone(),
        switch_first: None,
        switch_last: None,
        changed: false,
        codes_used: 0,
        code_fields: Vec::new(),
        switch_target: None,
        confirmed_by_script: false,
    };

    let call = crate::browser::call_limit(plan.timeout);
    let result = bounded(&browser, opts, call * 3, async {
        exec.start().await?;
        match exec.page_failure().await {
            Some(fail) => Err(fail),
            None => Ok(()),
        }
    })
    .await;
    let mut outcome = None;
    if let Err(fail) = result {
        outcome = Some((fail.outcome(), redactor.redact(fail.message())));
    }
    // A saved session (or a person logging in by hand) makes the login part unnecessary.
    let mut gate = StepRecord::new(0, "login", 0, "logged_in");
    let gate_limit = if opts.pause_on_login {
        call + human::PERSON_LIMIT
    } else {
        call * 2
    };
    let skip_login = if outcome.is_none() {
        match bounded(&browser, opts, gate_limit, exec.login_gate(&mut gate)).await {
            Ok(skip) => skip,
            Err(fail) => {
                outcome = Some((fail.outcome(), redactor.redact(fail.message())));
                false
            }
        }
    } else {
        false
    };
    let login_note = gate.message.clone();
    let mut skipping = false;
    let mut stopped = false;
    for step in &plan.steps {
        let started = Instant::now();
        let mut step_record = StepRecord::new(
            step.number,
            step.kind(),
            step.line,
            &redactor.redact(&step.action.describe()),
        );
        if outcome.is_some() || stopped {
            if opts.dry_run && stopped {
                step_record.status = StepStatus::NotReached;
                step_record.message = Some("not reached: follows a change".into());
                progress.line(step, "not reached (follows a change)", None);
                exec.recorder_record(&mut record, step_record);
            }
            continue;
        }
        if skip_login && plan.is_login_step(step.number) {
            step_record.status = StepStatus::SkippedLoggedIn;
            step_record.message = Some(format!(
                "skipped: {}",
                login_note.as_deref().unwrap_or("already logged in")
            ));
            progress.line(step, "skipped (already logged in)", None);
            exec.recorder_record(&mut record, step_record);
            continue;
        }
        if skipping {
            let ends_skip = matches!(
                step.action,
                Action::SwitchOff { .. } | Action::Goto { .. } | Action::Screenshot { .. }
            );
            if !ends_skip {
                step_record.status = StepStatus::SkippedAlreadyOff;
                step_record.message = Some("skipped: auto-renew was already off".into());
                progress.line(step, "skipped (already off)", None);
                exec.recorder_record(&mut record, step_record);
                continue;
            }
            skipping = false;
        }
        // Nothing changes without a record: a folder that can no longer be written stops the
        // run before the next step.
        if let Some(problem) = exec.recorder.failure() {
            let message = format!(
                "the evidence folder {} cannot be written ({problem}): the run stopped before step {} so that nothing changes without a record. Free space or fix the folder, then run again",
                exec.recorder.place().display(),
                step.number
            );
            progress.line(step, "not run (evidence cannot be written)", None);
            outcome = Some((Outcome::EvidenceFailed, redactor.redact(&message)));
            continue;
        }
        progress.begin(step);
        if let Some(on_step) = &opts.hooks.on_step {
            on_step(&format!(
                "[{}/{}] {} {}",
                step.number,
                plan.steps.len(),
                step.kind(),
                redactor.redact(&step.action.describe())
            ));
        }
        // A watchdog over the step's own limits: a browser that stops answering ends the
        // run with an error, and the evidence so far stays.
        let watchdog = match step.action {
            Action::Find { reveal, .. } => plan.timeout * (reveal + 2),
            _ => plan.timeout * 2,
        } + Duration::from_secs(30);
        // A person may take minutes over a code or a QR scan.
        let watchdog = match step.action {
            Action::Code { .. } | Action::Pause { .. } => watchdog + human::PERSON_LIMIT,
            _ => watchdog,
        };
        let result = bounded(&browser, opts, watchdog, exec.step(step, &mut step_record)).await;
        // A step that ended on an error page failed there, whatever it did: the site is down
        // or failing, which is not a missing entry.
        let result = match result {
            Ok(_) | Err(StepFail::NotFound(_)) | Err(StepFail::Expectation(_))
                if !browser.is_stalled() =>
            {
                let seen = bounded(&browser, opts, call, async {
                    Ok(exec.page_failure().await)
                });
                match seen.await {
                    Ok(Some(fail)) => Err(fail),
                    _ => result,
                }
            }
            other => other,
        };
        if matches!(result, Err(StepFail::Interrupted(_))) {
            step_record.status = StepStatus::Failed;
            step_record.message = Some(INTERRUPTED.into());
            step_record.duration_ms = started.elapsed().as_millis() as u64;
            progress.line(step, "interrupted", Some(&step_record));
            exec.recorder_record(&mut record, step_record);
            outcome = Some((Outcome::Interrupted, INTERRUPTED.into()));
            continue;
        }
        step_record.duration_ms = started.elapsed().as_millis() as u64;
        let status = match &result {
            Ok(StepDone::Ok) => "ok",
            Ok(StepDone::AlreadyOff) => "already off (已是关闭状态)",
            Ok(StepDone::StopBeforeChange) => "located, not clicked (dry-run)",
            Err(StepFail::Refused(_)) => "REFUSED by the safety guard",
            Err(_) => "FAILED",
        };
        let refused = matches!(result, Err(StepFail::Refused(_)));
        let captured = bounded(&browser, opts, call * 3, async {
            exec.capture_step(step, &mut step_record, status, refused)
                .await;
            Ok(())
        })
        .await;
        let result = match (captured, result) {
            (Err(StepFail::Interrupted(m)), _) => Err(StepFail::Interrupted(m)),
            (_, result) => result,
        };
        match result {
            Ok(StepDone::Ok) => {
                progress.line(step, "ok", Some(&step_record));
            }
            Ok(StepDone::AlreadyOff) => {
                skipping = true;
                progress.line(step, "already off", Some(&step_record));
            }
            Ok(StepDone::StopBeforeChange) => {
                stopped = true;
                progress.line(step, "located (dry-run: not clicked)", Some(&step_record));
            }
            Err(StepFail::Interrupted(m)) => {
                step_record.status = StepStatus::Failed;
                step_record.message = Some(m.clone());
                progress.line(step, "interrupted", Some(&step_record));
                outcome = Some((Outcome::Interrupted, m));
            }
            Err(fail) => {
                step_record.status = match fail {
                    StepFail::Refused(_) => StepStatus::Refused,
                    _ => StepStatus::Failed,
                };
                let message = format!(
                    "step {} (`{}`, line {}): {}",
                    step.number,
                    step.kind(),
                    step.line,
                    fail.message()
                );
                step_record.message = Some(redactor.redact(&message));
                progress.line(step, "FAILED", Some(&step_record));
                outcome = Some((fail.outcome(), redactor.redact(&message)));
            }
        }
        exec.recorder_record(&mut record, step_record);
    }

    if outcome.is_none() {
        let read = bounded(&browser, opts, call * 2, async {
            exec.read_final_state().await;
            Ok(())
        })
        .await;
        if let Err(fail) = read {
            outcome = Some((fail.outcome(), redactor.redact(fail.message())));
        }
    }
    record.switch_before = exec.switch_first;
    record.switch_after = exec.switch_last;
    let (outcome, message) = match outcome {
        Some(o) => o,
        None if opts.dry_run => (
            Outcome::Located,
            match record.steps.iter().position(|s| s.status == StepStatus::Located) {
                Some(i) => format!(
                    "dry-run: every target up to the first change (step {}) was found; nothing that mutates was clicked",
                    record.steps[i].number
                ),
                None => "dry-run: every target was found; the script makes no change".into(),
            },
        ),
        None if exec.switch_first == Some(SwitchState::Off) && !exec.changed => (
            Outcome::AlreadyOff,
            "auto-renew was already off: nothing was changed (自动续费已是关闭状态)".into(),
        ),
        // A change is claimed only when the page shows it: a false "off" makes a person stop
        // watching their bank statement.
        None if exec.changed
            && exec.switch_last != Some(SwitchState::Off)
            && !exec.confirmed_by_script =>
        {
            (
                Outcome::ExpectationFailed,
                format!(
                    "the change was made, but the page does not show auto-renew off (it reads {}): it may still be on. Check again with `jieyue status` later, and see the evidence",
                    exec.switch_last.unwrap_or(SwitchState::Unknown).as_str()
                ),
            )
        }
        None => (
            Outcome::Done,
            if exec.changed {
                "auto-renew is now off (自动续费已关闭)".to_string()
            } else {
                "every step done".to_string()
            },
        ),
    };
    browser.close().await;
    finish(&mut record, recorder, outcome, message);
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
            Err(StepFail::Browser(format!(
                "the browser stopped answering for {} s (a page script that never yields, or a driver that hangs); the run was ended",
                limit.as_secs()
            )))
        }),
        _ = cancelled(opts.hooks.cancel.clone()) => Err(StepFail::Interrupted(INTERRUPTED.into())),
    }
}

fn finish(record: &mut RunRecord, recorder: &mut dyn Sink, outcome: Outcome, message: String) {
    record.outcome = outcome;
    record.exit_code = outcome.exit_code();
    record.message = message;
    record.ended_at = Some(now_rfc3339());
    if let Err(e) = recorder.record(record) {
        tracing::warn!("{e}");
    }
}

/// `evidence/<script>/<timestamp>/` under the current folder.
pub fn default_evidence_dir(plan: &Plan) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    PathBuf::from("evidence").join(plan.slug()).join(stamp)
}
