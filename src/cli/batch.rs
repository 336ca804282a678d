//! `batch`: many scripts and accounts, N at a time, and the table of how each ended.

use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

use super::args::Common;
use super::stop_signal;
use crate::outcome::code;
use crate::runner;
use crate::script;

pub(super) async fn batch(file: &Path, jobs: usize, dry_run: bool, common: &Common) -> i32 {
    let batch = match script::load_batch(file) {
        Ok(b) => b,
        Err(problems) => {
            eprintln!("{problems}");
            eprintln!("jieyue: the batch file is invalid; nothing was started");
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
            eprintln!("jieyue: the batch has invalid jobs; nothing was started");
            return code::INVALID;
        }
    };
    let total = prepared.len();
    eprintln!(
        "jieyue batch: {total} job(s), {jobs} at a time{}{}; evidence in {}",
        if dry_run { ", dry-run" } else { "" },
        common
            .webdriver
            .as_deref()
            .map(|w| format!(", through {w}"))
            .unwrap_or_default(),
        root.display()
    );
    let started = std::time::Instant::now();
    let (results, stopped) = runner::batch::run_all(prepared, jobs, Some(stop_signal())).await;
    let code = runner::batch::exit_code(&results, stopped);
    let secs = started.elapsed().as_secs_f64();
    eprintln!();
    print_table(&results);
    let ok = results.iter().filter(|r| r.succeeded()).count();
    eprintln!(
        "\n{ok} of {total} succeeded in {secs:.1} s ({:.1} jobs/min){}; exit code {code}",
        total as f64 * 60.0 / secs.max(0.001),
        if stopped {
            "; stopped by Ctrl-C/SIGTERM"
        } else {
            ""
        }
    );
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
    eprintln!(
        "{:>3}  {:<18} {:>4} {:>7}  {}  evidence",
        "job",
        "outcome",
        "exit",
        "time",
        pad("platform · account")
    );
    for (r, who) in results.iter().zip(&who) {
        let outcome = r
            .outcome
            .map(|o| {
                serde_json::to_value(o)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| "not started".into());
        eprintln!(
            "{:>3}  {:<18} {:>4} {:>6.1}s  {}  {}",
            r.number,
            outcome,
            r.exit_code,
            r.seconds,
            pad(who),
            r.evidence_dir
        );
    }
}
