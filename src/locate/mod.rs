//! The keyword engine: a snapshot of the page (one round trip), the lexicon of intents, and
//! the scoring that picks an element. Pure over the snapshot; the browser only supplies it.

pub mod explain;
pub mod flow;
pub mod html;
pub mod lexicon;
pub mod policy;
pub mod score;
pub mod service;
pub mod snapshot;
pub mod survey;

pub use lexicon::{classify, intent_of, Intent, SwitchState};
pub use score::{choose, rank, tie, Choice, Found, MatchQuality, Want};
pub use snapshot::{Candidate, Snapshot, SNAPSHOT_JS};
