//! The language of what a person reads in the terminal: `--lang`, else the locale
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`: zh_* is 中文). The words come from the catalogue in
//! `locales/`; `--json` and exit codes never change with the language.

use rust_i18n::t;

use crate::outcome::Outcome;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// 简体中文
    Zh,
    En,
}

/// Sets the language for this process.
pub(super) fn choose(lang: Option<Lang>) {
    let lang = lang.unwrap_or_else(from_locale);
    rust_i18n::set_locale(match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    });
}

/// The locale's language, as POSIX orders the variables.
fn from_locale() -> Lang {
    let first = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if first.to_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn key(outcome: Outcome) -> &'static str {
    outcome.name()
}

/// How the run ended, in one sentence of the person's language.
pub(super) fn outcome(outcome: Outcome) -> String {
    let k = format!("outcome.{}", key(outcome));
    t!(&k).to_string()
}

/// What to do next after this ending; `dir` is the evidence folder.
pub(super) fn next(outcome: Outcome, dir: &str) -> String {
    let k = format!("next.{}", key(outcome));
    t!(&k, dir = dir).to_string()
}

/// Where the evidence is.
pub(super) fn evidence(dir: &str) -> String {
    t!("evidence.kept", dir = dir).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_both_languages() {
        for o in [
            Outcome::Done,
            Outcome::AlreadyOff,
            Outcome::Located,
            Outcome::NotFound,
            Outcome::NothingToCancel,
            Outcome::ExpectationFailed,
            Outcome::CodeNeeded,
            Outcome::Refused,
            Outcome::BrowserError,
            Outcome::SiteError,
            Outcome::EvidenceFailed,
            Outcome::Interrupted,
            Outcome::InProgress,
        ] {
            let k = key(o);
            for (lang, word) in [("zh", "结果"), ("en", "Result")] {
                let ko = format!("outcome.{k}");
                let said = t!(&ko, locale = lang).to_string();
                assert!(said.starts_with(word), "{lang} {k}: {said}");
                let kn = format!("next.{k}");
                let next = t!(&kn, locale = lang, dir = "D").to_string();
                assert!(!next.starts_with("next."), "{lang} {k}: no next step");
            }
        }
    }
}
