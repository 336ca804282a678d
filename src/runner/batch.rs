//! `jieyue batch`: many checked plans, N at a time, one browser session and one evidence
//! folder each, with a live line per job. A failed job does not stop the others; a stop
//! signal starts no new job and stops the running ones cleanly.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde::Serialize;

use super::{cancelled, folder, RunOptions};
use crate::outcome::{code, Outcome};
use crate::script::{self, Batch, BatchJob, Overrides, Plan};
use crate::secret::mask_account;

/// One job, ready to run: its plan, options and evidence folder.
pub struct Prepared {
    pub number: usize,
    pub label: String,
    pub plan: Plan,
    pub opts: RunOptions,
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobResult {
    pub number: usize,
    pub label: String,
    pub script: String,
    pub platform: String,
    pub account: Option<String>,
    /// `None`: never started (the batch was stopped first).
    pub outcome: Option<Outcome>,
    pub exit_code: i32,
    pub seconds: f64,
    pub evidence_dir: String,
    pub message: String,
}

impl JobResult {
    pub fn succeeded(&self) -> bool {
        self.exit_code == 0 && self.outcome.is_some()
    }
}

/// The batch's exit code: 0 when every job succeeded; 130 when it was stopped; otherwise
/// the highest exit code among the jobs (6 refused > 5 code needed > 4 not found > 3
/// browser error > 2 evidence folder unusable).
pub fn exit_code(results: &[JobResult], stopped: bool) -> i32 {
    if stopped {
        return code::INTERRUPTED;
    }
    results
        .iter()
        .map(|r| r.exit_code)
        .max()
        .unwrap_or(code::OK)
}

/// Every job of a batch, checked before any browser starts: its script loaded with the
/// job's vars and secrets over `overrides`, its options made by `options`, and its folder
/// under `root`. Every problem is returned at once, each naming its job.
pub fn prepare(
    batch: &Batch,
    root: &Path,
    overrides: &Overrides,
    options: impl Fn(&BatchJob, &mut Plan) -> Result<RunOptions, String>,
) -> Result<Vec<Prepared>, Vec<String>> {
    let mut prepared = Vec::new();
    let mut problems = Vec::new();
    for job in &batch.jobs {
        let mut job_overrides = overrides.clone();
        job_overrides.vars.extend(job.vars.iter().cloned());
        job_overrides.secrets.extend(job.secrets.iter().cloned());
        let mut plan = match script::load(&job.script, &job_overrides, true) {
            Ok(p) => p,
            Err(d) => {
                problems.push(format!("job {}: {d}", job.number));
                continue;
            }
        };
        let opts = match options(job, &mut plan) {
            Ok(o) => o,
            Err(e) => {
                problems.push(format!("job {}: {e}", job.number));
                continue;
            }
        };
        let label = job.name.clone().unwrap_or_else(|| plan.name.clone());
        let dir = root.join(format!("{:02}-{}", job.number, plan.slug()));
        prepared.push(Prepared {
            number: job.number,
            label,
            plan,
            opts,
            dir,
        });
    }
    if problems.is_empty() {
        Ok(prepared)
    } else {
        Err(problems)
    }
}

/// Runs the jobs, at most `jobs` at a time; results in job order.
pub async fn run_all(
    prepared: Vec<Prepared>,
    jobs: usize,
    cancel: Option<tokio::sync::watch::Receiver<bool>>,
) -> (Vec<JobResult>, bool) {
    let view = View::new(prepared.len());
    let mut waiting = prepared.into_iter();
    let mut running = FuturesUnordered::new();
    let mut results = Vec::new();
    let mut stopped = false;
    loop {
        while !stopped && running.len() < jobs.max(1) {
            let Some(job) = waiting.next() else { break };
            running.push(run_one(job, &view));
        }
        if running.is_empty() {
            break;
        }
        tokio::select! {
            Some(result) = running.next() => results.push(result),
            _ = cancelled(cancel.clone()), if !stopped => stopped = true,
        }
    }
    // Jobs never started are reported as such.
    for job in waiting {
        results.push(JobResult {
            number: job.number,
            label: job.label,
            script: job.plan.source.display().to_string(),
            platform: job.plan.name.clone(),
            account: job.plan.account.as_deref().map(mask_account),
            outcome: None,
            exit_code: 130,
            seconds: 0.0,
            evidence_dir: String::new(),
            message: "not started: the batch was stopped".into(),
        });
    }
    view.done();
    results.sort_by_key(|r| r.number);
    (results, stopped)
}

async fn run_one(job: Prepared, view: &View) -> JobResult {
    let started = Instant::now();
    let account = job.plan.account.as_deref().map(mask_account);
    let line = view.add(&format!(
        "{:>2} {} {}",
        job.number,
        job.label,
        account.as_deref().unwrap_or("")
    ));
    let mut opts = job.opts.clone();
    opts.progress = false;
    {
        let line = line.clone();
        opts.hooks.on_step = Some(Arc::new(move |step: &str| line.step(step)));
    }
    let mut result = JobResult {
        number: job.number,
        label: job.label.clone(),
        script: job.plan.source.display().to_string(),
        platform: job.plan.name.clone(),
        account,
        outcome: None,
        exit_code: code::INVALID,
        seconds: 0.0,
        evidence_dir: job.dir.display().to_string(),
        message: String::new(),
    };
    // The same path as a single run: a folder that cannot be used is exit 2, nothing ran.
    match folder::open(&job.plan, &job.dir) {
        Err(e) => result.message = e.to_string(),
        Ok(recorder) => {
            let finished = folder::run_into(&job.plan, &opts, recorder).await;
            result.outcome = Some(finished.record.outcome);
            result.exit_code = finished.record.exit_code;
            result.message = finished.record.message;
        }
    }
    result.seconds = started.elapsed().as_secs_f64();
    line.finish(&result);
    result
}

/// The live view: a line per job on a terminal, a line per start and end elsewhere.
struct View {
    bars: Option<MultiProgress>,
}

#[derive(Clone)]
struct Line {
    bar: Option<ProgressBar>,
    head: String,
}

impl View {
    fn new(_total: usize) -> View {
        let bars = std::io::stderr().is_terminal().then(MultiProgress::new);
        View { bars }
    }

    fn add(&self, head: &str) -> Line {
        let bar = self.bars.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix} {wide_msg} {elapsed:>4}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(head.to_string());
            bar.set_message("starting the browser");
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        if bar.is_none() {
            eprintln!("job {head}: started");
        }
        Line {
            bar,
            head: head.to_string(),
        }
    }

    fn done(&self) {
        if let Some(m) = &self.bars {
            let _ = m.clear();
        }
    }
}

impl Line {
    fn step(&self, step: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(step.to_string());
        }
    }

    fn finish(&self, r: &JobResult) {
        let mark = if r.succeeded() { "✓" } else { "✗" };
        let outcome = r.outcome.map(|o| format!("{o:?}")).unwrap_or_default();
        let text = format!("{mark} {outcome} (exit {}) {:.1} s", r.exit_code, r.seconds);
        match &self.bar {
            Some(bar) => bar.finish_with_message(text),
            None => eprintln!("job {}: {text}", self.head),
        }
    }
}
