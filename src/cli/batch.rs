//! `batch`: many scripts and accounts, N at a time, and the table of how each ended.

use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

use super::args::Common;
use super::stop_signal;
use crate::outcome::{code, Outcome};
use crate::runner;
use crate::said;
use crate::script;

pub(super) async fn batch(file: &Path, jobs: usize, dry_run: bool, common: &Common) -> i32 {
    let batch = match script::load_batch(file) {
        Ok(b) => b,
        Err(problems) => {
            eprintln!("{problems}");
            eprintln!("jieyue: {}", said!("batch.invalid").here());
            return code::INVALID;
        }
    };
    let root = common.evidence.clone().unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "batch".into());
        PathBuf::from("evidence")
            .join(format!("batch-{stem}"))
            .join(chrono::Local::now().format("%Y%m%d-%H%M%S").to_string())
    });
    // Every script is checked before any browser starts; the flags apply to each job,
    // which may name its own profile.
    let options = |job: &script::BatchJob, plan: &mut script::Plan| {
        let mut job_common = Common {
            evidence: None,
            ..common.clone()
        };
        if job.profile.is_some() {
            job_common.profile = job.profile.clone();
        }
        job_common
            .run_options(plan, dry_run, false)
            .map_err(|e| e.to_string())
    };
    let prepared = match runner::batch::prepare(&batch, &root, &common.overrides(), options) {
        Ok(p) => p,
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            eprintln!("jieyue: {}", said!("batch.invalid_jobs").here());
            return code::INVALID;
        }
    };
    let total = prepared.len();
    let how = match (dry_run, common.webdriver.as_deref()) {
        (true, Some(w)) => said!("batch.dry_through", url = w),
        (true, None) => said!("batch.dry"),
        (false, Some(w)) => said!("batch.through", url = w),
        (false, None) => said::Said::from(""),
    };
    let head = said!(
        "batch.head",
        total = total,
        jobs = jobs,
        how = how,
        dir = root.display().to_string()
    );
    eprintln!("jieyue batch: {}", head.here());
    let started = std::time::Instant::now();
    let (results, stopped) = runner::batch::run_all(prepared, jobs, Some(stop_signal())).await;
    let code = runner::batch::exit_code(&results, stopped);
    let secs = started.elapsed().as_secs_f64();
    eprintln!();
    print_table(&results);
    let ok = results.iter().filter(|r| r.succeeded()).count();
    let stop = if stopped {
        said!("batch.stopped")
    } else {
        said::Said::from("")
    };
    let end = said!(
        "batch.end",
        ok = ok,
        total = total,
        secs = format!("{secs:.1}"),
        rate = format!("{:.1}", total as f64 * 60.0 / secs.max(0.001)),
        stopped = stop,
        code = code
    );
    eprintln!("\n{}", end.here());
    if common.json {
        let json = serde_json::json!({
            "schema": "jieyue.batch/1",
            "file": file.display().to_string(),
            "jobs": results,
            "succeeded": ok,
            "failed": total - ok,
            "stopped": stopped,
            "seconds": secs,
            "exit_code": code,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("a batch summary serialises")
        );
    }
    code
}

/// One line per job: outcome, exit code, time, platform and account, evidence folder.
fn print_table(results: &[runner::batch::JobResult]) {
    // Chinese names are two columns wide: pad by display width, not by characters.
    let who: Vec<String> = results
        .iter()
        .map(|r| format!("{} · {}", r.label, r.account.as_deref().unwrap_or("-")))
        .collect();
    let width = who.iter().map(|w| w.width()).max().unwrap_or(0).max(18);
    let pad = |text: &str| format!("{text}{}", " ".repeat(width - text.width()));
    let outcome_width = 18;
    let col = |key: &'static str, w: usize, right: bool| {
        let text = said::Said::key(key).here();
        let fill = " ".repeat(w.saturating_sub(text.width()));
        if right {
            format!("{fill}{text}")
        } else {
            format!("{text}{fill}")
        }
    };
    eprintln!(
        "{}  {} {} {}  {}  {}",
        col("batch.col.job", 3, true),
        col("batch.col.outcome", outcome_width, false),
        col("batch.col.exit", 4, true),
        col("batch.col.time", 7, true),
        pad(&said!("batch.col.who").here()),
        said!("batch.col.evidence").here()
    );
    for (r, who) in results.iter().zip(&who) {
        let shown = crate::said::Said::key(outcome_key(r.outcome)).here();
        let fill = " ".repeat(outcome_width.saturating_sub(shown.width()));
        eprintln!(
            "{:>3}  {shown}{fill} {:>4} {:>6.1}s  {}  {}",
            r.number,
            r.exit_code,
            r.seconds,
            pad(who),
            r.evidence_dir
        );
    }
}

/// The catalogue key of an outcome's short name in the table.
fn outcome_key(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Done) => "batch.outcome.done",
        Some(Outcome::AlreadyOff) => "batch.outcome.already_off",
        Some(Outcome::Located) => "batch.outcome.located",
        Some(Outcome::NotFound) => "batch.outcome.not_found",
        Some(Outcome::NothingToCancel) => "batch.outcome.nothing_to_cancel",
        Some(Outcome::ExpectationFailed) => "batch.outcome.expectation_failed",
        Some(Outcome::CodeNeeded) => "batch.outcome.code_needed",
        Some(Outcome::Refused) => "batch.outcome.refused",
        Some(Outcome::BrowserError) => "batch.outcome.browser_error",
        Some(Outcome::SiteError) => "batch.outcome.site_error",
        Some(Outcome::EvidenceFailed) => "batch.outcome.evidence_failed",
        Some(Outcome::Interrupted) => "batch.outcome.interrupted",
        Some(Outcome::InProgress) => "batch.outcome.in_progress",
        None => "batch.outcome.not_started",
    }
}
