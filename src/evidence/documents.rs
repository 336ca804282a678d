//! The documents of a finished evidence folder, written from the run's record and the
//! manifest: `complaint.md`, then `report.html` (which lists the complaint's hash).

use super::recorder::{EvidenceError, Recorder};
use super::{complaint, report};
use crate::record::RunRecord;

/// Writes the final record, then `complaint.md` and `report.html` made from it; the
/// manifest lists all three.
pub fn write_documents(recorder: &mut Recorder, record: &RunRecord) -> Result<(), EvidenceError> {
    recorder.write_record(record)?;
    let text = complaint::render(record, recorder.manifest());
    recorder.write_text(complaint::COMPLAINT, &text)?;
    let page = report::render(
        record,
        recorder.manifest(),
        recorder.dir(),
        recorder.redactor(),
    );
    recorder.write(report::REPORT, page.as_bytes())?;
    Ok(())
}
