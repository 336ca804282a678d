//! The run as data: `run.json`, the record every writer reads (the evidence folder's
//! report and complaint, the terminal summary, `--json`, the status verdict, the batch
//! table), and the `Sink` a run hands its captures to as it goes.
//!
//! The fields are a contract for other tools: add, never rename or remove. `schema` names
//! the version of this layout.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::locate::{Intent, MatchQuality, SwitchState};
pub use crate::outcome::Outcome;
use crate::secret::Redactor;

pub const SCHEMA: &str = "jieyue.run/1";

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunRecord {
    pub schema: String,
    pub tool_version: String,
    /// The script file and its `name:`.
    pub script: String,
    pub platform: String,
    pub carrier: String,
    /// `run`, `dry-run` or `status`.
    pub mode: String,
    /// The account, masked (138****5678).
    pub account: Option<String>,
    pub browser: String,
    /// RFC 3339 with the local offset.
    pub started_at: String,
    pub ended_at: Option<String>,
    pub steps: Vec<StepRecord>,
    pub outcome: Outcome,
    pub exit_code: i32,
    /// One sentence a person understands.
    pub message: String,
    /// The same sentence in the language of the terminal (not in the record).
    #[serde(skip)]
    #[schemars(skip)]
    pub said: Option<String>,
    /// The renewal state read at the first `switch_off` (before) and at the end (after).
    pub switch_before: Option<SwitchState>,
    pub switch_after: Option<SwitchState>,
    pub evidence_dir: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepRecord {
    pub number: usize,
    pub kind: String,
    /// Line of the step in the script.
    pub line: usize,
    /// What the step looks for, as the script says it (secrets masked).
    pub target: String,
    pub status: StepStatus,
    pub found: Option<FoundRecord>,
    pub switch_before: Option<SwitchState>,
    pub switch_after: Option<SwitchState>,
    pub message: Option<String>,
    /// The same message in the language of the terminal (not in the record).
    #[serde(skip)]
    #[schemars(skip)]
    pub said: Option<String>,
    /// The page at the end of the step (secrets masked).
    pub url: Option<String>,
    pub started_at: String,
    pub duration_ms: u64,
    /// Evidence files written for this step, relative to the evidence folder.
    pub files: Vec<String>,
}

impl StepRecord {
    /// A record for a step about to run.
    pub fn new(number: usize, kind: &str, line: usize, target: &str) -> StepRecord {
        StepRecord {
            number,
            kind: kind.to_string(),
            line,
            target: target.to_string(),
            status: StepStatus::Ok,
            found: None,
            switch_before: None,
            switch_after: None,
            message: None,
            said: None,
            url: None,
            started_at: now_rfc3339(),
            duration_ms: 0,
            files: Vec::new(),
        }
    }

    /// The message, kept in English for the record and said in the person's language.
    pub fn say(&mut self, message: &crate::said::Said, redactor: &crate::secret::Redactor) {
        self.message = Some(redactor.redact(&message.english()));
        self.said = Some(redactor.redact(&message.here()));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Ok,
    /// Dry-run: found, not acted on.
    Located,
    /// Belongs to a change that was not needed (already off).
    SkippedAlreadyOff,
    /// Belongs to the login part, and the session was already logged in.
    SkippedLoggedIn,
    /// Dry-run: follows a change, so never reached.
    NotReached,
    Failed,
    Refused,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FoundRecord {
    pub text: String,
    pub tag: String,
    pub css: String,
    /// css plus the frames and shadow hosts that lead to it.
    pub location: String,
    /// The frame indexes (window.frames order) that lead to the element, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frame: Vec<u16>,
    /// The shadow hosts (css in their root) that lead to the element, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shadow: Vec<String>,
    pub score: i64,
    pub quality: MatchQuality,
    pub intent: Intent,
    /// `css` or `keywords`.
    pub via: String,
    /// The script's selector drifted: what happened, so the script can be fixed.
    pub drift: Option<String>,
}

/// Now, in RFC 3339 with the local offset and milliseconds: the times of a record.
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// A file a sink could not write.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// Where a run's evidence goes as the run goes: each step's captures, then the record after
/// each step and at the end. The evidence folder is one; a test or another tool may be
/// another. A write that fails is remembered, and the run stops before anything more can
/// change (`failure`).
pub trait Sink: Send {
    /// Where the evidence is, as the record and the messages name it.
    fn place(&self) -> &Path;
    /// A file, named `name` (a name never carries a secret); returns the name used.
    fn file(&mut self, name: &str, bytes: &[u8]) -> Result<String, SinkError>;
    /// A text file, with every secret removed on the way.
    fn text(&mut self, name: &str, text: &str) -> Result<String, SinkError>;
    /// The record as it stands.
    fn record(&mut self, record: &RunRecord) -> Result<(), SinkError>;
    /// The secrets to remove from now on (a code typed during the run joins them).
    fn redact_with(&mut self, redactor: Redactor);
    /// Why a write failed, if one has.
    fn failure(&self) -> Option<&str>;
}

/// The JSON Schema of `run.json`, as committed in `docs/run.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RunRecord);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    /// The committed schema is the one the code writes by: a changed record shows up here.
    /// `JIEYUE_BLESS=1 cargo test` writes the new one for review.
    #[test]
    fn docs_schema_matches_the_record() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/run.schema.json");
        let now = super::json_schema();
        if std::env::var_os("JIEYUE_BLESS").is_some() {
            std::fs::write(&path, &now).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == now,
            "docs/run.schema.json is out of date: run `JIEYUE_BLESS=1 cargo test docs_schema` and review the change (fields may be added, never renamed or removed)"
        );
    }
}
