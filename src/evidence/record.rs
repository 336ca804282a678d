//! `run.json`: the record of a run, the data every report is written from.
//!
//! The fields are a contract for other tools: add, never rename or remove. `schema` names
//! the version of this layout.

use serde::Serialize;

use crate::locate::{Intent, MatchQuality, SwitchState};

pub const SCHEMA: &str = "jieyue.run/1";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunRecord {
    pub schema: &'static str,
    pub tool_version: &'static str,
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
    /// The renewal state read at the first `switch_off` (before) and at the end (after).
    pub switch_before: Option<SwitchState>,
    pub switch_after: Option<SwitchState>,
    pub evidence_dir: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still running (a record read mid-run, or after a crash).
    InProgress,
    /// Renewal was on and is now off / every step done.
    Done,
    /// Renewal was already off: nothing changed.
    AlreadyOff,
    /// Dry-run: every target up to and including the first change was found.
    Located,
    NotFound,
    /// The page says there is no membership or renewal to turn off (exit code 4).
    NothingToCancel,
    ExpectationFailed,
    CodeNeeded,
    Refused,
    BrowserError,
    /// The platform's site could not be reached, or answered with an HTTP error (exit 3).
    SiteError,
    /// The evidence folder could not be written: the run stopped before anything more could
    /// change (exit 3).
    EvidenceFailed,
    /// Stopped by Ctrl-C or SIGTERM (exit code 130).
    Interrupted,
}

impl Outcome {
    /// The exit codes of DESIGN.md §5.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Done | Outcome::AlreadyOff | Outcome::Located | Outcome::InProgress => 0,
            Outcome::BrowserError | Outcome::SiteError | Outcome::EvidenceFailed => 3,
            Outcome::NotFound | Outcome::NothingToCancel | Outcome::ExpectationFailed => 4,
            Outcome::CodeNeeded => 5,
            Outcome::Refused => 6,
            Outcome::Interrupted => 130,
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
            url: None,
            started_at: crate::runner::now_rfc3339(),
            duration_ms: 0,
            files: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
