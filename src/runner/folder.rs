//! The one way from a checked plan to a finished evidence folder, for `run`, `status`,
//! `login`, `demo` and every batch job: create the folder, run into it, then write the
//! documents made from the record once the browser is closed.

use std::path::Path;

use super::{run, RunOptions};
use crate::evidence::{write_documents, EvidenceError, Recorder};
use crate::record::RunRecord;
use crate::script::Plan;

/// A run and its folder.
pub struct Finished {
    pub record: RunRecord,
    /// Why the folder could not be written, if it could not: then it is not complete, and
    /// must not be presented as evidence.
    pub failure: Option<String>,
}

/// The evidence folder of a run of `plan`, at `dir`: it must be new or empty (jieyue never
/// writes over earlier evidence), or nothing runs.
pub fn open(plan: &Plan, dir: &Path) -> Result<Recorder, EvidenceError> {
    crate::secret::protect_logs(&plan.redactor());
    Recorder::create(dir, plan.redactor())
}

/// Runs `plan` into its folder, then writes the documents.
pub async fn run_into(plan: &Plan, opts: &RunOptions, mut recorder: Recorder) -> Finished {
    let record = run(plan, opts, &mut recorder).await;
    if let Err(e) = write_documents(&mut recorder, &record) {
        tracing::warn!("{e}");
    }
    Finished {
        failure: recorder.failure().map(str::to_string),
        record,
    }
}

/// A re-check (`status --append DIR`): the status run of `plan` added to the folder of an
/// earlier run, its files prefixed `recheck-<stamp>-`, the manifest chain continued, and the
/// complaint and report written again with every re-check in them. The folder must verify
/// first; the earlier files are never rewritten (only the two documents are).
pub async fn recheck_into(plan: &Plan, opts: &RunOptions, dir: &Path) -> Result<Finished, String> {
    use crate::evidence::recheck;
    recheck::check_folder(dir)?;
    let run_record = recheck::run_record(dir).map_err(|e| e.to_string())?;
    crate::secret::protect_logs(&plan.redactor());
    let mut recorder = Recorder::append(dir, plan.redactor()).map_err(|e| e.to_string())?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let record = {
        let mut sink = recheck::Appended::new(&mut recorder, &stamp);
        run(plan, opts, &mut sink).await
    };
    if let Err(e) = recheck::rewrite_documents(&mut recorder, &run_record) {
        tracing::warn!("{e}");
    }
    Ok(Finished {
        failure: recorder.failure().map(str::to_string),
        record,
    })
}
