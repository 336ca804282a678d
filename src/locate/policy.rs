//! The guard and the dry-run rule, as one pure decision: given the element chosen for a
//! step (and the runner-up, and whether its selector drifted), whether the step is a change,
//! and the mode — allow the click, refuse it, or stop before the change. Every step that
//! clicks asks it, and so does `locate --html`; nothing else decides.

use super::lexicon::Intent;
use super::score::{tie, Choice, MatchQuality};

/// How the run goes: for real, or only locating (`--dry-run`, `locate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Run,
    DryRun,
}

/// What the policy allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Click it.
    Allow,
    /// Never click it: why, for people.
    Refuse(String),
    /// It would change the account, and this is a dry run: locate, record, stop.
    StopBeforeChange,
}

/// The one decision. `commit` is what the step says (`commit: true`, `switch_off`,
/// `confirm`); the element's own intent can make any click a change. `what` names the
/// step's purpose for the message ("cancel", "turn auto-renew off").
pub fn judge(
    choice: &Choice,
    runner_up: Option<&Choice>,
    commit: bool,
    mode: Mode,
    what: &str,
) -> Verdict {
    let change = commit || choice.intent.is_commit();
    // A decoy is never clicked, change or not (立即续费 is never navigation).
    if choice.intent == Intent::Decoy || (change && choice.intent.is_forbidden()) {
        return Verdict::Refuse(format!(
            "refused to click “{}” at `{}`: it reads as {} ({}), not as a way to {what}; the safety guard never clicks it. Check the script's keywords for this step",
            choice.candidate.visible_label(),
            choice.candidate.location(),
            choice.intent.as_str(),
            match choice.intent {
                Intent::Decoy => "it would renew, upgrade, pay or ask for a refund",
                Intent::Stay => "it keeps the membership",
                _ => "it could mean keep or cancel",
            }
        ));
    }
    if !change {
        return Verdict::Allow;
    }
    if let Some(why) = tie(choice, runner_up) {
        return Verdict::Refuse(format!("the guard does not guess on a change: {why}"));
    }
    if choice.drift.is_some() && choice.quality < MatchQuality::Phrase {
        return Verdict::Refuse(format!(
            "the selector of this commit step drifted and the keywords match only weakly (“{}”): fix the script",
            choice.candidate.visible_label()
        ));
    }
    match mode {
        Mode::DryRun => Verdict::StopBeforeChange,
        Mode::Run => Verdict::Allow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::html::snapshot_from_html;
    use crate::locate::{choose, Found, Want};
    use crate::script::Target;

    fn pick(page: &str, words: &[&str]) -> (Choice, Option<Choice>) {
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        let t = Target::keywords(words.iter().map(|w| w.to_string()).collect());
        match choose(&snap, &t, Want::Click) {
            Found::Match { best, runner_up } => (*best, runner_up.map(|r| *r)),
            other => panic!("no match: {other:?}"),
        }
    }

    #[test]
    fn decoys_are_refused_in_every_mode_and_changes_stop_in_a_dry_run() {
        let (renew, _) = pick("<button>立即续费</button>", &["立即续费"]);
        for mode in [Mode::Run, Mode::DryRun] {
            assert!(matches!(
                judge(&renew, None, false, mode, "go on"),
                Verdict::Refuse(_)
            ));
        }
        let (off, _) = pick("<a href='/off'>关闭自动续费</a>", &["关闭自动续费"]);
        assert_eq!(
            judge(&off, None, false, Mode::Run, "cancel"),
            Verdict::Allow
        );
        assert_eq!(
            judge(&off, None, false, Mode::DryRun, "cancel"),
            Verdict::StopBeforeChange
        );
        let (nav, _) = pick("<a href='/m'>会员中心</a>", &["会员中心"]);
        assert_eq!(
            judge(&nav, None, false, Mode::DryRun, "go on"),
            Verdict::Allow
        );
        let (bare, _) = pick("<button>取消</button>", &["取消"]);
        assert!(matches!(
            judge(&bare, None, true, Mode::Run, "cancel"),
            Verdict::Refuse(_)
        ));
    }
}
