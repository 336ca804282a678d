//! Evidence a person can take to a complaint: screenshots, the run record, a hash chain.

pub mod complaint;
pub mod record;
pub mod recorder;
pub mod report;
pub mod stamp;
pub mod verify;
mod wording;

pub use record::{FoundRecord, Outcome, RunRecord, StepRecord, StepStatus};
pub use recorder::{EvidenceError, Recorder};
