//! `run`, `status`, `login` and `validate`: a script, one browser, one evidence folder, and
//! the summary a person reads.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::ExpectState;
use crate::locate::SwitchState;
use crate::outcome::code;
use crate::record::RunRecord;
use crate::runner::status::status_report;
use crate::runner::{self, RunOptions};
use crate::script::{self, Diagnostics, Overrides, Plan};

pub(super) fn print_diagnostics(d: &Diagnostics) {
    eprintln!("{d}");
    let n = d.0.len();
    eprintln!(
        "jieyue: the script is invalid ({n} problem{}); nothing was started",
        if n == 1 { "" } else { "s" }
    );
}

pub(super) fn validate(paths: &[PathBuf]) -> i32 {
    let mut exit = code::OK;
    for path in paths {
        match script::load(path, &Overrides::default(), false) {
            Ok(plan) => println!(
                "{}: ok ({}, {} steps)",
                path.display(),
                plan.name,
                plan.steps.len()
            ),
            Err(d) => {
                eprintln!("{d}");
                exit = code::INVALID;
            }
        }
    }
    exit
}

/// The checked plan, or the diagnostics printed (then exit 2: nothing was started).
pub(super) fn load_plan(path: &Path, common: &Common) -> Option<Plan> {
    match script::load(path, &common.overrides(), true) {
        Ok(plan) => Some(plan),
        Err(d) => {
            print_diagnostics(&d);
            None
        }
    }
}

/// The run's options, or the problem printed (then exit 2: nothing was started).
pub(super) fn options(
    common: &Common,
    plan: &mut Plan,
    dry_run: bool,
    status: bool,
) -> Option<RunOptions> {
    common
        .run_options(plan, dry_run, status)
        .map_err(|e| eprintln!("jieyue: {e}"))
        .ok()
}

pub(super) async fn run_script(path: &Path, dry_run: bool, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return code::INVALID;
    };
    let Some(opts) = options(common, &mut plan, dry_run, false) else {
        return code::INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    code
}

pub(super) fn print_json(value: &impl serde::Serialize, plan: &Plan) {
    let json = serde_json::to_string_pretty(value).expect("a record serialises");
    println!("{}", plan.redactor().redact(&json));
}

/// Runs a checked plan with its evidence folder and prints the summary on stderr.
pub(super) async fn execute(
    plan: &Plan,
    opts: RunOptions,
    common: &Common,
) -> (i32, Option<RunRecord>) {
    let dir = common
        .evidence
        .clone()
        .unwrap_or_else(|| runner::default_evidence_dir(plan));
    let recorder = match runner::folder::open(plan, &dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jieyue: {e}");
            return (code::INVALID, None);
        }
    };
    eprintln!(
        "jieyue: {} — {} ({}{})",
        plan.name,
        plan.source.display(),
        if opts.status {
            "status, read-only, "
        } else if opts.dry_run {
            "dry-run, "
        } else {
            ""
        },
        if common.headed { "headed" } else { "headless" }
    );
    let runner::folder::Finished { record, failure } =
        runner::folder::run_into(plan, &opts, recorder).await;
    let redactor = plan.redactor();
    eprintln!();
    // A failed step's line already said why; the summary says it once, not again.
    let said = record
        .steps
        .iter()
        .any(|s| s.message.as_deref() == Some(record.message.as_str()));
    if !said {
        eprintln!("{}", redactor.redact(&record.message));
    }
    let shown = shell_quote(&dir.display().to_string());
    match failure {
        None => {
            eprintln!("{}", super::say::outcome(record.outcome));
            eprintln!("{}", super::say::evidence(&shown));
            eprintln!("{}", super::say::next(record.outcome, &shown));
        }
        Some(problem) => eprintln!(
            "evidence: not complete — {} could not be written ({problem}); what was written before that is all there is",
            dir.display()
        ),
    }
    (record.exit_code, Some(record))
}

pub(super) async fn status(
    path: &Path,
    expect: Option<ExpectState>,
    common: &Common,
    append: Option<&Path>,
) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return code::INVALID;
    };
    let Some(opts) = options(common, &mut plan, true, true) else {
        return code::INVALID;
    };
    let (code, record) = match append {
        Some(dir) => recheck_into(&plan, opts, dir).await,
        None => execute(&plan, opts, common).await,
    };
    let Some(record) = record else {
        return code;
    };
    let expect = expect.map(|e| match e {
        ExpectState::Off => SwitchState::Off,
        ExpectState::On => SwitchState::On,
    });
    let report = status_report(&record, expect);
    for s in &report.services {
        eprintln!(
            "auto-renew: {}  (step {}, {}; evidence: {})",
            s.auto_renew.as_str(),
            s.step,
            s.target,
            s.evidence.join(", ")
        );
    }
    if report.services.is_empty() {
        eprintln!("auto-renew: {}", report.auto_renew.as_str());
    }
    if report.exit_code != record.exit_code {
        eprintln!("{}", report.message);
    }
    if common.json {
        print_json(&report, &plan);
    }
    report.exit_code
}

/// Runs the status plan into the run's folder; prints what happened to it.
async fn recheck_into(plan: &Plan, opts: RunOptions, dir: &Path) -> (i32, Option<RunRecord>) {
    eprintln!(
        "jieyue: {} — re-check (read-only), added to {}",
        plan.name,
        dir.display()
    );
    match runner::folder::recheck_into(plan, &opts, dir).await {
        Err(problem) => {
            eprintln!("jieyue: {problem}");
            (code::INVALID, None)
        }
        Ok(runner::folder::Finished { record, failure }) => {
            eprintln!();
            eprintln!("{}", plan.redactor().redact(&record.message));
            match failure {
                None => eprintln!(
                    "evidence: the re-check joined {} (complaint.md and report.html now carry it; check the whole folder with `jieyue evidence verify {}`)",
                    dir.display(),
                    shell_quote(&dir.display().to_string())
                ),
                Some(problem) => eprintln!(
                    "evidence: the re-check could not be fully written to {} ({problem})",
                    dir.display()
                ),
            }
            (record.exit_code, Some(record))
        }
    }
}

pub(super) async fn login(path: &Path, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return code::INVALID;
    };
    if common.profile.is_none() {
        eprintln!("jieyue: `login` keeps the session in a profile: add --profile NAME (e.g. --profile my-account)");
        return code::INVALID;
    }
    if plan.login_steps == 0 {
        eprintln!(
            "jieyue: {}: the script does not say where its login part ends: add `logged_in: {{ text: [\"退出登录\"] }}` (words a logged-in page shows) and an `expect` step after the login steps",
            plan.source.display()
        );
        return code::INVALID;
    }
    plan.steps.truncate(plan.login_steps);
    let Some(opts) = options(common, &mut plan, false, false) else {
        return code::INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if code == 0 {
        if let Some(name) = &common.profile {
            eprintln!(
                "logged in; the session is saved in profile `{name}` ({}): run with --profile {name} to skip the login",
                crate::browser::profile::home().join("profiles").join(name).display()
            );
        }
    }
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    code
}

/// A path as a shell word: quoted when it holds anything a shell would split or expand.
pub(super) fn shell_quote(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}
