//! Evidence a person can take to a complaint: screenshots, the run record, a hash chain.

pub mod record;
pub mod recorder;

pub use record::{FoundRecord, Outcome, RunRecord, StepRecord, StepStatus};
pub use recorder::{EvidenceError, Recorder};
