//! `jieyue locate --html FILE --text …`: what the engine would pick on a saved page, and why.

use crate::outcome::code;
use std::fmt;

use serde::Serialize;

use super::lexicon::Intent;
use super::policy::{self, Mode, Verdict};
use super::score::{choose, rank, tie, Choice, Found, MatchQuality, Want};
use super::snapshot::{Candidate, Snapshot};
use crate::script::Target;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub target: String,
    pub verdict: ExplainVerdict,
    pub message: String,
    pub pick: Option<Entry>,
    pub ranked: Vec<Entry>,
    pub hidden: Vec<Entry>,
}

#[derive(Debug, Serialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ExplainVerdict {
    Picked,
    Refused,
    Ambiguous,
    PresentButHidden,
    Missing,
}

impl ExplainVerdict {
    /// The exit code a run would end with at this step (DESIGN.md §5).
    pub fn exit_code(self) -> i32 {
        match self {
            ExplainVerdict::Picked => code::OK,
            ExplainVerdict::Refused | ExplainVerdict::Ambiguous => code::REFUSED,
            ExplainVerdict::PresentButHidden | ExplainVerdict::Missing => code::NOT_FOUND,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub text: String,
    pub intent: Intent,
    pub score: i64,
    pub quality: MatchQuality,
    pub css: String,
    /// The dialog or section it sits in.
    pub context: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<String>,
}

impl Entry {
    fn of(choice: &Choice) -> Self {
        let mut e = Entry::candidate(&choice.candidate);
        e.intent = choice.intent;
        e.score = choice.score;
        e.quality = choice.quality;
        e
    }

    fn candidate(c: &Candidate) -> Self {
        Entry {
            text: c.visible_label().to_string(),
            intent: super::lexicon::intent_of(c),
            score: 0,
            quality: MatchQuality::None,
            css: c.location(),
            context: match &c.dialog {
                Some(d) => format!(
                    "dialog “{}”",
                    if d.title.is_empty() {
                        &d.text
                    } else {
                        &d.title
                    }
                ),
                None if !c.section.is_empty() => format!("section “{}”", c.section),
                None => String::new(),
            },
            hidden: c.hidden_reason.clone(),
        }
    }
}

/// Explains the choice for `target` on a snapshot; `commit` judges it as a commit step would.
pub fn explain(snapshot: &Snapshot, target: &Target, commit: bool) -> Explanation {
    let want = if target.label.is_empty() {
        Want::Click
    } else {
        Want::Fill
    };
    let (ranked, hidden) = rank(snapshot, target, want);
    let ranked: Vec<Entry> = ranked.iter().take(8).map(Entry::of).collect();
    let hidden: Vec<Entry> = hidden.iter().map(Entry::candidate).collect();
    let (verdict, message, pick) = match choose(snapshot, target, want) {
        Found::Match { best, runner_up } => {
            let pick = Some(Entry::of(&best));
            let label = best.candidate.visible_label();
            let drift = best
                .drift
                .as_deref()
                .map(|d| format!(" ({d}; new css `{}`)", best.candidate.location()))
                .unwrap_or_default();
            match policy::judge(&best, runner_up.as_deref(), commit, Mode::Run, "cancel") {
                Verdict::Refuse(why)
                    if tie(&best, runner_up.as_deref()).is_some()
                        && !best.intent.is_forbidden() =>
                {
                    (ExplainVerdict::Ambiguous, why, pick)
                }
                Verdict::Refuse(why) => (ExplainVerdict::Refused, why, pick),
                Verdict::Allow | Verdict::StopBeforeChange => (
                    ExplainVerdict::Picked,
                    format!(
                        "would pick “{label}” ({}, {:?} match, via {}){drift}",
                        best.intent.as_str(),
                        best.quality,
                        best.via
                    ),
                    pick,
                ),
            }
        }
        Found::PresentButHidden(h) => (
            ExplainVerdict::PresentButHidden,
            format!(
                "present but hidden: “{}” at `{}` ({}); a menu must be opened first",
                h[0].visible_label(),
                h[0].location(),
                h[0].hidden_reason.as_deref().unwrap_or("not visible")
            ),
            None,
        ),
        Found::Missing => (
            ExplainVerdict::Missing,
            "no element matches".to_string(),
            None,
        ),
    };
    Explanation {
        target: target.describe(),
        verdict,
        message,
        pick,
        ranked,
        hidden,
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "target: {}", self.target)?;
        writeln!(f, "{}", self.message)?;
        if !self.ranked.is_empty() {
            writeln!(f, "\n  score  match    intent             text → css")?;
            for e in &self.ranked {
                writeln!(
                    f,
                    "  {:>5}  {:<7}  {:<17}  “{}” → {}{}",
                    e.score,
                    format!("{:?}", e.quality).to_lowercase(),
                    e.intent.as_str(),
                    e.text,
                    e.css,
                    if e.context.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", e.context)
                    }
                )?;
            }
        }
        if !self.hidden.is_empty() {
            writeln!(f, "\n  present but hidden:")?;
            for e in &self.hidden {
                writeln!(
                    f,
                    "  “{}” → {} ({})",
                    e.text,
                    e.css,
                    e.hidden.as_deref().unwrap_or("hidden")
                )?;
            }
        }
        Ok(())
    }
}
