//! `status --append DIR` and `recheck DIR`: the state read again, added to the folder of
//! the run it checks.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::run::shell_quote;
use super::ExpectState;
use crate::outcome::code;
use crate::record::RunRecord;
use crate::runner::{self, RunOptions};
use crate::script::Plan;

/// Runs the status plan into the run's folder; prints what happened to it.
pub(super) async fn append(plan: &Plan, opts: RunOptions, dir: &Path) -> (i32, Option<RunRecord>) {
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

/// `recheck DIR`: the script comes from the run's record.
pub(super) async fn recheck(dir: &Path, expect: Option<ExpectState>, common: &Common) -> i32 {
    let record = match crate::evidence::recheck::run_record(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "jieyue: {}: not the evidence folder of a run ({e}); give the folder a run wrote",
                dir.display()
            );
            return code::INVALID;
        }
    };
    let script = PathBuf::from(&record.script);
    if !script.is_file() {
        eprintln!(
            "jieyue: the run used the script {}, which is not here: run `jieyue status SCRIPT --append {}` from where the script is",
            script.display(),
            shell_quote(&dir.display().to_string())
        );
        return code::INVALID;
    }
    super::run::status(&script, expect, common, Some(dir)).await
}
