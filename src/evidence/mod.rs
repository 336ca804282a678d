//! Evidence a person can take to a complaint: screenshots, the run record, a hash chain.

pub mod complaint;
mod documents;
pub mod manifest;
pub mod recheck;
pub mod recorder;
pub mod report;
pub mod stamp;
pub mod verify;
mod wording;

pub use documents::write_documents;
pub use recorder::{EvidenceError, Recorder};
