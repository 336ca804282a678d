//! `run`, `status`, `login` and `validate`: a script, one browser, one evidence folder, and
//! the summary a person reads.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::ExpectState;
use crate::locate::SwitchState;
use crate::outcome::code;
use crate::record::Outcome;
use crate::record::RunRecord;
use crate::runner::status::status_report;
use crate::runner::{self, RunOptions};
use crate::said;
use crate::script::{self, Diagnostics, Overrides, Plan};

pub(super) fn print_diagnostics(d: &Diagnostics) {
    eprintln!("{d}");
    let n = d.0.len();
    let said = if n == 1 {
        said!("script.invalid_one")
    } else {
        said!("script.invalid", n = n)
    };
    eprintln!("jieyue: {}", said.here());
}

pub(super) fn validate(paths: &[PathBuf]) -> i32 {
    let mut exit = code::OK;
    for path in paths {
        match script::load(path, &Overrides::default(), false) {
            Ok(plan) => println!(
                "{}: {}",
                path.display(),
                said!("script.ok", name = &plan.name, steps = plan.steps.len()).here()
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
        .map_err(|e| eprintln!("jieyue: {}", e.said().here()))
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
    let mode = match (opts.status, opts.dry_run, common.headed) {
        (true, _, false) => said!("run.mode.status_headless"),
        (true, _, true) => said!("run.mode.status_headed"),
        (false, true, false) => said!("run.mode.dry_headless"),
        (false, true, true) => said!("run.mode.dry_headed"),
        (false, false, false) => said!("run.mode.headless"),
        (false, false, true) => said!("run.mode.headed"),
    };
    eprintln!(
        "jieyue: {} — {} ({})",
        plan.name,
        plan.source.display(),
        mode.here()
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
    // A change made and seen says itself in the outcome line; every other ending says
    // what was seen first.
    let plain_end = matches!(record.outcome, Outcome::AlreadyOff)
        || (record.outcome == Outcome::Done && !no_change(&record));
    if !said && !plain_end {
        let message = record.said.as_deref().unwrap_or(&record.message);
        eprintln!("{}", redactor.redact(message));
    }
    let shown = shell_quote(&dir.display().to_string());
    match failure {
        None if no_change(&record) => {
            eprintln!("{}", crate::said!("outcome.done_no_change").here());
            eprintln!("{}", super::say::evidence(&shown));
        }
        None => {
            eprintln!("{}", super::say::outcome(record.outcome));
            eprintln!("{}", super::say::evidence(&shown));
            eprintln!("{}", super::say::next(record.outcome, &shown));
        }
        Some(problem) => eprintln!(
            "{}",
            said!(
                "evidence.incomplete",
                dir = dir.display().to_string(),
                problem = problem.to_string()
            )
            .here()
        ),
    }
    (record.exit_code, Some(record))
}

/// A run that ended with every step done and nothing changed (a login, a script without a
/// change): its outcome is `done`, but it is no proof that renewal is off.
fn no_change(record: &RunRecord) -> bool {
    record.outcome == Outcome::Done && record.message == crate::said!("end.every_step").english()
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
        let said = said!(
            "status.service",
            state = s.auto_renew.as_str(),
            step = s.step,
            target = &s.target,
            files = s.evidence.join(", ")
        );
        eprintln!("{}", said.here());
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
    let said = said!("recheck.head", dir = dir.display().to_string());
    eprintln!("jieyue: {} — {}", plan.name, said.here());
    match runner::folder::recheck_into(plan, &opts, dir).await {
        Err(problem) => {
            eprintln!("jieyue: {problem}");
            (code::INVALID, None)
        }
        Ok(runner::folder::Finished { record, failure }) => {
            eprintln!();
            let message = record.said.as_deref().unwrap_or(&record.message);
            eprintln!("{}", plan.redactor().redact(message));
            let said = match failure {
                None => said!(
                    "recheck.joined",
                    dir = dir.display().to_string(),
                    quoted = shell_quote(&dir.display().to_string())
                ),
                Some(problem) => said!(
                    "recheck.incomplete",
                    dir = dir.display().to_string(),
                    problem = problem.to_string()
                ),
            };
            eprintln!("{}", said.here());
            (record.exit_code, Some(record))
        }
    }
}

pub(super) async fn login(path: &Path, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return code::INVALID;
    };
    if common.profile.is_none() {
        eprintln!("jieyue: {}", said!("login.needs_profile").here());
        return code::INVALID;
    }
    if plan.login_steps == 0 {
        let said = said!("login.no_end", script = plan.source.display().to_string());
        eprintln!("jieyue: {}", said.here());
        return code::INVALID;
    }
    plan.steps.truncate(plan.login_steps);
    let Some(opts) = options(common, &mut plan, false, false) else {
        return code::INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if code == 0 {
        if let Some(name) = &common.profile {
            let dir = crate::browser::profile::home().join("profiles").join(name);
            let said = said!("login.saved", name = name, dir = dir.display().to_string());
            eprintln!("{}", said.here());
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
