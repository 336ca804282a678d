//! Re-checks that join the evidence: `jieyue status SCRIPT --append DIR` reads the state
//! hours later and adds its screenshots and record to the folder of the run, continuing the
//! manifest chain, so the folder a person hands over shows that renewal was still off (or
//! was back on) when checked again.

use std::path::Path;

use super::manifest::{MANIFEST, RUN_JSON};
use super::recorder::{EvidenceError, Recorder};
use super::{complaint, report};
use crate::locate::SwitchState;
use crate::record::{RunRecord, Sink, SinkError};
use crate::secret::Redactor;

/// The record of a re-check is `recheck-<stamp>.json`; its files carry the same prefix.
pub const PREFIX: &str = "recheck-";

/// A re-check writing into an existing folder: every file it writes carries its prefix, and
/// its record is a file of its own (the run's `run.json` stays as it was).
pub struct Appended<'a> {
    recorder: &'a mut Recorder,
    /// `recheck-20261203-140500-`
    prefix: String,
}

impl<'a> Appended<'a> {
    pub fn new(recorder: &'a mut Recorder, stamp: &str) -> Appended<'a> {
        Appended {
            recorder,
            prefix: format!("{PREFIX}{stamp}-"),
        }
    }

    /// `recheck-<stamp>.json`.
    pub fn record_name(&self) -> String {
        format!("{}.json", self.prefix.trim_end_matches('-'))
    }
}

impl Sink for Appended<'_> {
    fn place(&self) -> &Path {
        self.recorder.dir()
    }

    fn file(&mut self, name: &str, bytes: &[u8]) -> Result<String, SinkError> {
        self.recorder
            .write(&format!("{}{name}", self.prefix), bytes)
            .map_err(|e| SinkError(e.to_string()))
    }

    fn text(&mut self, name: &str, text: &str) -> Result<String, SinkError> {
        self.recorder
            .write_text(&format!("{}{name}", self.prefix), text)
            .map_err(|e| SinkError(e.to_string()))
    }

    fn record(&mut self, record: &RunRecord) -> Result<(), SinkError> {
        let json = serde_json::to_string_pretty(record).expect("a run record serialises");
        self.recorder
            .write_text(&self.record_name(), &json)
            .map(|_| ())
            .map_err(|e| SinkError(e.to_string()))
    }

    fn redact_with(&mut self, redactor: Redactor) {
        self.recorder.set_redactor(redactor);
    }

    fn failure(&self) -> Option<&str> {
        self.recorder.failure()
    }
}

/// The run's own record, from the folder.
pub fn run_record(dir: &Path) -> Result<RunRecord, EvidenceError> {
    let path = dir.join(RUN_JSON);
    let bytes = std::fs::read(&path).map_err(|source| EvidenceError::Io {
        path: path.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| EvidenceError::Io {
        path,
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })
}

/// Every re-check record the folder's manifest lists, oldest first.
pub fn rechecks(recorder: &Recorder) -> Vec<RunRecord> {
    recorder
        .manifest()
        .entries
        .iter()
        .filter(|e| e.file.starts_with(PREFIX) && e.file.ends_with(".json"))
        .filter_map(|e| std::fs::read(recorder.dir().join(&e.file)).ok())
        .filter_map(|b| serde_json::from_slice::<RunRecord>(&b).ok())
        .collect()
}

/// `complaint.md` and `report.html` again, with every re-check in them.
pub fn rewrite_documents(recorder: &mut Recorder, run: &RunRecord) -> Result<(), EvidenceError> {
    let checks = rechecks(recorder);
    let text = complaint::render_with(run, recorder.manifest(), &checks);
    recorder.write_text(complaint::COMPLAINT, &text)?;
    let page = report::render_with(
        run,
        recorder.manifest(),
        recorder.dir(),
        recorder.redactor(),
        &checks,
    );
    recorder.write(report::REPORT, page.as_bytes())?;
    Ok(())
}

/// The state a re-check read: what its record says after the run.
pub fn state_of(check: &RunRecord) -> SwitchState {
    check
        .switch_after
        .or(check.switch_before)
        .unwrap_or(SwitchState::Unknown)
}

/// Whether the folder can take a re-check: a run's folder, with a manifest that verifies.
pub fn check_folder(dir: &Path) -> Result<(), String> {
    if !dir.join(MANIFEST).is_file() || !dir.join(RUN_JSON).is_file() {
        return Err(format!(
            "{} is not the evidence folder of a run (no {MANIFEST} and {RUN_JSON})",
            dir.display()
        ));
    }
    match super::verify::verify(dir) {
        Ok(v) if v.intact => Ok(()),
        Ok(v) => Err(format!(
            "{} does not verify ({}): a re-check is not added to a folder that was altered",
            dir.display(),
            v.problem.map(|p| p.to_string()).unwrap_or_default()
        )),
        Err(e) => Err(e.to_string()),
    }
}
