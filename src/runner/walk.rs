//! The walk through a plan's steps in an open browser: the start page and the login
//! gate, then each step (skipped, run under its limits, checked for an error page,
//! captured, recorded), then the conclusion a person reads.

use std::path::Path;
use std::time::{Duration, Instant};

use super::steps::Exec;
use super::{bounded, human, interrupted, Progress, RunOptions, StepDone, StepFail};
use crate::browser::Browser;
use crate::locate::SwitchState;
use crate::record::{now_rfc3339, Outcome, RunRecord, Sink, StepRecord, StepStatus};
use crate::said;
use crate::said::Said;
use crate::script::{Action, Plan, Step};
use crate::secret::{mask_account, Redactor};

/// The record of a run that is about to start.
pub fn new_record(plan: &Plan, opts: &RunOptions, place: &Path) -> RunRecord {
    RunRecord {
        schema: crate::record::SCHEMA.to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
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
        said: None,
        switch_before: None,
        switch_after: None,
        evidence_dir: place.display().to_string(),
    }
}

pub struct Walk<'a> {
    exec: Exec<'a>,
    browser: &'a Browser,
    plan: &'a Plan,
    opts: &'a RunOptions,
    redactor: Redactor,
    progress: Progress,
    record: RunRecord,
    /// How the run ends, once something has decided it.
    outcome: Option<(Outcome, Said)>,
    /// The switch was already off: the change's own steps are skipped.
    skipping: bool,
    /// Dry-run reached the first change.
    stopped: bool,
    /// The session was already logged in: the login steps are skipped.
    skip_login: bool,
    login_note: Option<String>,
    /// The limit of one WebDriver call in this plan.
    call: Duration,
}

impl<'a> Walk<'a> {
    pub fn new(
        browser: &'a Browser,
        plan: &'a Plan,
        opts: &'a RunOptions,
        sink: &'a mut dyn Sink,
        record: RunRecord,
        progress: Progress,
    ) -> Walk<'a> {
        let redactor = plan.redactor();
        Walk {
            exec: Exec::new(browser, plan, opts, sink),
            browser,
            plan,
            opts,
            redactor,
            progress,
            record,
            outcome: None,
            skipping: false,
            stopped: false,
            skip_login: false,
            login_note: None,
            call: crate::browser::call_limit(plan.timeout),
        }
    }

    fn fail(&mut self, fail: &StepFail) {
        self.outcome = Some((fail.outcome(), fail.message().clone()));
    }

    /// The start page, then whether the session is already logged in.
    pub async fn open(&mut self) {
        let (browser, opts, call) = (self.browser, self.opts, self.call);
        let exec = &mut self.exec;
        let opened = bounded(browser, opts, call * 3, async {
            exec.start().await?;
            match exec.page_failure().await {
                Some(fail) => Err(fail),
                None => Ok(()),
            }
        })
        .await;
        if let Err(fail) = opened {
            self.fail(&fail);
            return;
        }
        // A saved session (or a person logging in by hand) makes the login part unnecessary.
        let mut gate = StepRecord::new(0, "login", 0, "logged_in");
        let limit = if opts.pause_on_login {
            call + human::PERSON_LIMIT
        } else {
            call * 2
        };
        match bounded(browser, opts, limit, self.exec.login_gate(&mut gate)).await {
            Ok(skip) => self.skip_login = skip,
            Err(fail) => self.fail(&fail),
        }
        self.login_note = gate.message;
    }

    fn keep(&mut self, rec: StepRecord) {
        self.exec.recorder_record(&mut self.record, rec);
    }

    /// One step: skipped, or run and recorded.
    pub async fn step(&mut self, step: &Step) {
        let mut rec = StepRecord::new(
            step.number,
            step.kind(),
            step.line,
            &self.redactor.redact(&step.action.describe()),
        );
        if self.passes_over(step, &mut rec) {
            return;
        }
        self.progress.begin(step);
        if let Some(on_step) = &self.opts.hooks.on_step {
            on_step(&format!(
                "[{}/{}] {} {}",
                step.number,
                self.plan.steps.len(),
                step.kind(),
                self.redactor.redact(&step.action.describe())
            ));
        }
        let started = Instant::now();
        let result = self.perform(step, &mut rec).await;
        rec.duration_ms = started.elapsed().as_millis() as u64;
        if matches!(result, Err(StepFail::Interrupted(_))) {
            rec.status = StepStatus::Failed;
            rec.say(&interrupted(), &self.redactor);
            self.progress.line(step, "interrupted", Some(&rec));
            self.keep(rec);
            self.outcome = Some((Outcome::Interrupted, interrupted()));
            return;
        }
        let captured = Instant::now();
        let result = self.capture(step, &mut rec, result).await;
        self.settle(step, &mut rec, result);
        let kept = Instant::now();
        self.keep(rec);
        // Where a step's time goes: `RUST_LOG=jieyue=debug`.
        tracing::debug!(
            step = step.number,
            action_ms = (captured - started).as_millis() as u64,
            capture_ms = (kept - captured).as_millis() as u64,
            record_ms = kept.elapsed().as_millis() as u64,
            "step timing"
        );
    }

    /// Steps that are not run: after the end was decided, after a dry-run's first change,
    /// the login when already logged in, the change when already off; and every step once
    /// the evidence folder cannot be written. True when the step is passed over.
    fn passes_over(&mut self, step: &Step, rec: &mut StepRecord) -> bool {
        if self.outcome.is_some() || self.stopped {
            if self.opts.dry_run && self.stopped {
                rec.status = StepStatus::NotReached;
                rec.say(&said!("step.note.not_reached"), &self.redactor);
                self.progress
                    .line(step, "not reached (follows a change)", None);
                self.keep(rec.clone());
            }
            return true;
        }
        if self.skip_login && self.plan.is_login_step(step.number) {
            rec.status = StepStatus::SkippedLoggedIn;
            let note = match self.login_note.as_deref() {
                Some(note) => said!("step.note.skipped", why = note),
                None => said!("step.note.skipped_logged_in"),
            };
            rec.say(&note, &self.redactor);
            self.progress
                .line(step, "skipped (already logged in)", None);
            self.keep(rec.clone());
            return true;
        }
        if self.skipping {
            let ends_skip = matches!(
                step.action,
                Action::SwitchOff { .. } | Action::Goto { .. } | Action::Screenshot { .. }
            );
            if !ends_skip {
                rec.status = StepStatus::SkippedAlreadyOff;
                rec.say(&said!("step.note.skipped_off"), &self.redactor);
                self.progress.line(step, "skipped (already off)", None);
                self.keep(rec.clone());
                return true;
            }
            self.skipping = false;
        }
        // Nothing changes without a record: a folder that can no longer be written stops the
        // run before the next step.
        if let Some(problem) = self.exec.recorder.failure() {
            let message = said!(
                "fail.evidence_before_step",
                dir = self.exec.recorder.place().display().to_string(),
                problem = problem.to_string(),
                step = step.number
            );
            self.progress
                .line(step, "not run (evidence cannot be written)", None);
            self.outcome = Some((Outcome::EvidenceFailed, message));
            return true;
        }
        false
    }

    /// The step under a watchdog over its own limits, then a look at where it ended: a
    /// step that ended on an error page failed there, whatever it did (the site is down or
    /// failing, which is not a missing entry).
    async fn perform(&mut self, step: &Step, rec: &mut StepRecord) -> Result<StepDone, StepFail> {
        let (browser, opts, plan) = (self.browser, self.opts, self.plan);
        let watchdog = match step.action {
            Action::Find { reveal, .. } => plan.timeout * (reveal + 2),
            _ => plan.timeout * 2,
        } + Duration::from_secs(30);
        // A person may take minutes over a code or a QR scan.
        let watchdog = match step.action {
            Action::Code { .. } | Action::Pause { .. } => watchdog + human::PERSON_LIMIT,
            _ => watchdog,
        };
        let result = bounded(browser, opts, watchdog, self.exec.step(step, rec)).await;
        match result {
            Ok(_) | Err(StepFail::NotFound(_)) | Err(StepFail::Expectation(_))
                if !browser.is_stalled() =>
            {
                let exec = &self.exec;
                let seen = bounded(browser, opts, self.call, async {
                    Ok(exec.page_failure().await)
                });
                match seen.await {
                    Ok(Some(fail)) => Err(fail),
                    _ => result,
                }
            }
            other => other,
        }
    }

    /// The step's screenshot and DOM, stamped with how it ended. A stop signal during the
    /// capture ends the step as interrupted.
    async fn capture(
        &mut self,
        step: &Step,
        rec: &mut StepRecord,
        result: Result<StepDone, StepFail>,
    ) -> Result<StepDone, StepFail> {
        let status = match &result {
            Ok(StepDone::Ok) => "ok",
            Ok(StepDone::AlreadyOff) => "already off (已是关闭状态)",
            Ok(StepDone::StopBeforeChange) => "located, not clicked (dry-run)",
            Err(StepFail::Refused(_)) => "REFUSED by the safety guard",
            Err(_) => "FAILED",
        };
        let refused = matches!(result, Err(StepFail::Refused(_)));
        let (browser, opts) = (self.browser, self.opts);
        let exec = &mut self.exec;
        let captured = bounded(browser, opts, self.call * 3, async {
            exec.capture_step(step, rec, status, refused).await;
            Ok(())
        })
        .await;
        match (captured, result) {
            (Err(StepFail::Interrupted(m)), _) => Err(StepFail::Interrupted(m)),
            (_, result) => result,
        }
    }

    /// What the step's ending means for the rest of the run.
    fn settle(&mut self, step: &Step, rec: &mut StepRecord, result: Result<StepDone, StepFail>) {
        match result {
            Ok(StepDone::Ok) => self.progress.line(step, "ok", Some(rec)),
            Ok(StepDone::AlreadyOff) => {
                self.skipping = true;
                self.progress.line(step, "already off", Some(rec));
            }
            Ok(StepDone::StopBeforeChange) => {
                self.stopped = true;
                self.progress
                    .line(step, "located (dry-run: not clicked)", Some(rec));
            }
            Err(StepFail::Interrupted(m)) => {
                rec.status = StepStatus::Failed;
                rec.say(&m, &self.redactor);
                self.progress.line(step, "interrupted", Some(rec));
                self.outcome = Some((Outcome::Interrupted, m));
            }
            Err(fail) => {
                rec.status = match fail {
                    StepFail::Refused(_) => StepStatus::Refused,
                    _ => StepStatus::Failed,
                };
                let message = said!(
                    "fail.at_step",
                    step = step.number,
                    kind = step.kind(),
                    line = step.line,
                    why = fail.message().clone()
                );
                rec.say(&message, &self.redactor);
                self.progress.line(step, "FAILED", Some(rec));
                self.outcome = Some((fail.outcome(), message));
            }
        }
    }

    /// The state read at the end, and the sentence that says how the run ended. A change is
    /// claimed only when the page shows it: a false "off" makes a person stop watching
    /// their bank statement.
    pub async fn conclude(mut self) -> (RunRecord, Outcome, Said) {
        if self.outcome.is_none() {
            let (browser, opts, call) = (self.browser, self.opts, self.call);
            let exec = &mut self.exec;
            let read = bounded(browser, opts, call * 2, async {
                exec.read_final_state().await;
                Ok(())
            })
            .await;
            if let Err(fail) = read {
                self.fail(&fail);
            }
        }
        // The last screenshot is written before the run is concluded.
        self.exec.settle_evidence().await;
        let mut record = self.record;
        self.exec.attach_late_files(&mut record);
        let exec = &self.exec;
        record.switch_before = exec.switch_first;
        record.switch_after = exec.switch_last;
        let (outcome, message) = match self.outcome {
            Some(o) => o,
            None if self.opts.dry_run => (Outcome::Located, dry_run_message(&record)),
            None if exec.switch_first == Some(SwitchState::Off) && !exec.changed => {
                (Outcome::AlreadyOff, said!("end.already_off"))
            }
            None if exec.changed
                && exec.switch_last != Some(SwitchState::Off)
                && !exec.confirmed_by_script =>
            {
                (
                    Outcome::ExpectationFailed,
                    said!(
                        "end.not_shown_off",
                        state = exec.switch_last.unwrap_or(SwitchState::Unknown).as_str()
                    ),
                )
            }
            None if exec.changed => (Outcome::Done, said!("end.off")),
            None => (Outcome::Done, said!("end.every_step")),
        };
        (record, outcome, message)
    }
}

fn dry_run_message(record: &RunRecord) -> Said {
    match record
        .steps
        .iter()
        .find(|s| s.status == StepStatus::Located)
    {
        Some(step) => said!("end.dry_run_change", step = step.number),
        None => said!("end.dry_run"),
    }
}
