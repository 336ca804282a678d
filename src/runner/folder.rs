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
