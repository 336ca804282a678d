//! Choosing the element a target means, from a snapshot. Pure: no browser here.

use serde::{Deserialize, Serialize};

use super::lexicon::{intent_of, normalize, Intent};
use super::snapshot::{Candidate, Snapshot};
use crate::script::{Scope, Target};

/// How well words matched: a whole text beats a phrase inside a longer one, which beats a
/// partial match (登录 picks the 登录 button over 微信授权登录).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MatchQuality {
    None = 0,
    Partial = 1,
    Phrase = 2,
    Exact = 3,
}

/// What the step will do with the element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Click,
    Fill,
    /// Any element, interactive or not (a switch label, a status line).
    Any,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub candidate: Candidate,
    pub score: i64,
    pub quality: MatchQuality,
    pub intent: Intent,
    /// `css` or `keywords`.
    pub via: &'static str,
    /// When the script's css no longer points at the right thing: what happened.
    pub drift: Option<String>,
}

#[derive(Debug)]
pub enum Found {
    /// The best visible match, and the next best (for ambiguity checks).
    Match {
        best: Box<Choice>,
        runner_up: Option<Box<Choice>>,
    },
    /// Matches exist in the DOM but none is visible.
    PresentButHidden(Vec<Candidate>),
    Missing,
}

/// Scores every candidate against the target and picks the best visible one.
pub fn choose(snapshot: &Snapshot, target: &Target, want: Want) -> Found {
    let in_scope = scope_filter(snapshot, target);

    // The script's css first, when it resolves to something visible that agrees.
    let mut drift = None;
    if let Some(css) = &target.css {
        let hits: Vec<&Candidate> = snapshot
            .css
            .get(css)
            .and_then(|h| h.as_ref())
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| snapshot.candidates.get(*i))
                    .collect()
            })
            .unwrap_or_default();
        let has_words = target.all_words().next().is_some();
        let agreeing = hits.iter().find(|c| {
            c.visible && in_scope(c) && (!has_words || quality(c, target) > MatchQuality::None)
        });
        if let Some(c) = agreeing {
            let q = if has_words {
                quality(c, target)
            } else {
                MatchQuality::Exact
            };
            return Found::Match {
                best: Box::new(Choice {
                    candidate: (*c).clone(),
                    score: 10_000,
                    quality: q,
                    intent: intent_of(c),
                    via: "css",
                    drift: None,
                }),
                runner_up: None,
            };
        }
        if !has_words {
            return if hits.is_empty() {
                Found::Missing
            } else {
                Found::PresentButHidden(hits.into_iter().cloned().collect())
            };
        }
        drift = Some(match hits.first() {
            None => format!("selector `{css}` no longer matches anything"),
            Some(c) if !c.visible => format!("selector `{css}` matches a hidden element"),
            Some(c) => format!(
                "selector `{css}` no longer matches: it points at “{}”",
                c.visible_label()
            ),
        });
    }

    let (scored, hidden) = rank_where(snapshot, target, want, &in_scope, drift);
    let mut iter = scored.into_iter();
    match iter.next() {
        Some(best) => {
            let best_css = best.candidate.css.clone();
            let runner_up = iter
                .find(|c| c.candidate.css != best_css || c.candidate.frame != best.candidate.frame)
                .map(Box::new);
            Found::Match {
                best: Box::new(best),
                runner_up,
            }
        }
        None if !hidden.is_empty() => Found::PresentButHidden(hidden),
        None => Found::Missing,
    }
}

/// Every visible candidate that matches the target, best first, and the matches that are
/// in the DOM but hidden. What `choose` picks from, and what `locate --html` explains.
pub fn rank(snapshot: &Snapshot, target: &Target, want: Want) -> (Vec<Choice>, Vec<Candidate>) {
    rank_where(
        snapshot,
        target,
        want,
        &scope_filter(snapshot, target),
        None,
    )
}

/// Whether a candidate is inside the target's `within` scope.
fn scope_filter<'a>(snapshot: &Snapshot, target: &'a Target) -> impl Fn(&Candidate) -> bool + 'a {
    let members = scope_members(snapshot, target);
    move |c: &Candidate| match (&target.within, &members) {
        (Some(Scope::Dialog), _) => c.dialog.is_some(),
        (Some(Scope::Css(_)), Some(members)) => members.contains(&c.idx),
        (Some(Scope::Css(_)), None) => false,
        _ => true,
    }
}

fn rank_where(
    snapshot: &Snapshot,
    target: &Target,
    want: Want,
    in_scope: &dyn Fn(&Candidate) -> bool,
    drift: Option<String>,
) -> (Vec<Choice>, Vec<Candidate>) {
    let fits = |c: &Candidate| match want {
        Want::Fill => c.editable,
        Want::Click => c.interactive || c.switch_like,
        Want::Any => true,
    };
    let dialog_open = !snapshot.dialogs.is_empty();
    let mut scored: Vec<Choice> = Vec::new();
    let mut hidden: Vec<Candidate> = Vec::new();
    for c in &snapshot.candidates {
        if !fits(c) || !in_scope(c) {
            continue;
        }
        let q = quality(c, target);
        if q == MatchQuality::None {
            continue;
        }
        if !c.visible {
            hidden.push(c.clone());
            continue;
        }
        let mut points = score(c, q, target, want);
        // An open dialog is where the page wants the next click.
        if dialog_open && c.dialog.is_some() {
            points += 60;
        }
        scored.push(Choice {
            candidate: c.clone(),
            score: points,
            quality: q,
            intent: intent_of(c),
            via: "keywords",
            drift: drift.clone(),
        });
    }
    scored.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.candidate.idx.cmp(&b.candidate.idx))
    });
    (scored, hidden)
}

fn score(c: &Candidate, q: MatchQuality, target: &Target, want: Want) -> i64 {
    let mut s = (q as i64) * 1000;
    if c.interactive || c.switch_like {
        s += 200;
    }
    if c.enabled {
        s += 20;
    }
    // Between equal words, a button is the action and a link is usually navigation chrome
    // (登录 the submit button over 登录 in the page header).
    if c.tag == "button"
        || c.role == "button"
        || matches!(c.input_type.as_str(), "submit" | "button")
    {
        s += 40;
    }
    match c.on_top {
        Some(true) => s += 30,
        Some(false) => s -= 100,
        None => {}
    }
    if want == Want::Fill && c.editable {
        s += 100;
    }
    // Closer in length to the keyword is a tighter match.
    let text = normalize(c.visible_label());
    let shortest = target
        .all_words()
        .map(|w| normalize(w).chars().count())
        .min()
        .unwrap_or(0);
    let extra = text.chars().count().saturating_sub(shortest) as i64;
    s -= extra.min(100);
    // Earlier keywords are the script author's first choice.
    let rank = target
        .all_words()
        .position(|w| field_quality(c, w, target) == q)
        .unwrap_or(0) as i64;
    s - rank * 3
}

fn quality(c: &Candidate, target: &Target) -> MatchQuality {
    target
        .all_words()
        .map(|w| field_quality(c, w, target))
        .max()
        .unwrap_or(MatchQuality::None)
}

fn field_quality(c: &Candidate, word: &str, target: &Target) -> MatchQuality {
    let fields: Vec<&str> = if target.text.iter().any(|t| t == word) {
        vec![&c.text, &c.aria, &c.title, &c.label]
    } else if target.label.iter().any(|t| t == word) {
        vec![&c.label, &c.aria, &c.placeholder, &c.title]
    } else {
        vec![&c.placeholder, &c.aria]
    };
    let word = normalize(word);
    if word.is_empty() {
        return MatchQuality::None;
    }
    fields
        .into_iter()
        .filter(|f| !f.is_empty())
        .map(|f| {
            let f = normalize(f);
            if f == word {
                MatchQuality::Exact
            } else if f.contains(&word) {
                MatchQuality::Phrase
            } else if f.chars().count() >= 2
                && 3 * f.chars().count() >= 2 * word.chars().count()
                && word.contains(&f)
            {
                // Most of the keyword, not a common word inside it (会员 in 管理会员).
                MatchQuality::Partial
            } else {
                MatchQuality::None
            }
        })
        .max()
        .unwrap_or(MatchQuality::None)
}

/// The candidates inside a css scope (`within: ".panel"`), from the `scope *` selector the
/// snapshot was asked to resolve.
fn scope_members(snapshot: &Snapshot, target: &Target) -> Option<Vec<usize>> {
    match &target.within {
        Some(Scope::Css(css)) => snapshot.css.get(&scope_selector(css)).cloned().flatten(),
        _ => None,
    }
}

pub fn scope_selector(css: &str) -> String {
    format!("{css}, {css} *")
}

/// The selectors a snapshot must resolve for these targets.
pub fn selectors_for<'a>(targets: impl IntoIterator<Item = &'a Target>) -> Vec<String> {
    let mut out = Vec::new();
    for t in targets {
        if let Some(css) = &t.css {
            out.push(css.clone());
        }
        if let Some(Scope::Css(css)) = &t.within {
            out.push(scope_selector(css));
        }
    }
    out
}

/// Two equally good candidates for a commit: which one to click is a coin toss, so the
/// engine does not choose. Returns the reason, naming both.
pub fn tie(best: &Choice, runner_up: Option<&Choice>) -> Option<String> {
    let other = runner_up?;
    let same_words =
        normalize(best.candidate.visible_label()) == normalize(other.candidate.visible_label());
    let equal = other.quality == best.quality && best.score - other.score <= 5;
    (equal && !(same_words && best.candidate.href == other.candidate.href && !best.candidate.href.is_empty()))
        .then(|| {
            format!(
                "two equally good matches: “{}” at `{}` and “{}” at `{}`; add `css` or `within` to the step to say which",
                best.candidate.visible_label(),
                best.candidate.location(),
                other.candidate.visible_label(),
                other.candidate.location()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::html::snapshot_from_html;

    fn target(words: &[&str]) -> Target {
        Target::keywords(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn two_equal_matches_for_a_change_are_a_tie_not_a_coin_toss() {
        let page = r#"<div><p>黄金会员</p><a href="/a">关闭自动续费</a></div>
            <div><p>钻石会员</p><a href="/b">关闭自动续费</a></div>"#;
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        let Found::Match { best, runner_up } =
            choose(&snap, &target(&["关闭自动续费"]), Want::Click)
        else {
            panic!("no match");
        };
        let why = tie(&best, runner_up.as_deref()).expect("a tie");
        assert!(why.contains("two equally good matches"), "{why}");

        // `within` says which one: no tie.
        let mut scoped = target(&["关闭自动续费"]);
        scoped.within = Some(Scope::Css("div:nth-of-type(2)".into()));
        let selectors = selectors_for([&scoped]);
        let snap = snapshot_from_html(page, "file:///t.html", &selectors);
        let Found::Match { best, runner_up } = choose(&snap, &scoped, Want::Click) else {
            panic!("no match within the scope");
        };
        assert_eq!(best.candidate.href, "/b");
        assert!(tie(&best, runner_up.as_deref()).is_none());
    }

    #[test]
    fn a_drifted_css_falls_back_to_keywords_and_says_so() {
        let page =
            r#"<nav><a id="member-2026" href="/m">会员中心</a><a href="/h">帮助中心</a></nav>"#;
        let mut t = target(&["会员中心"]);
        t.css = Some("#member-2023".into());
        let snap = snapshot_from_html(page, "file:///t.html", &selectors_for([&t]));
        let Found::Match { best, .. } = choose(&snap, &t, Want::Click) else {
            panic!("no match");
        };
        assert_eq!(best.via, "keywords");
        assert_eq!(best.candidate.css, "#member-2026");
        assert!(best.drift.as_deref().unwrap_or("").contains("#member-2023"));
    }

    #[test]
    fn partial_matches_need_most_of_the_keyword() {
        let page = r#"<span role="tab">会员</span><a href="/x">关闭自动续费</a>"#;
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        assert!(matches!(
            choose(&snap, &target(&["管理会员"]), Want::Click),
            Found::Missing
        ));
        let Found::Match { best, .. } = choose(&snap, &target(&["关闭自动续费服务"]), Want::Click)
        else {
            panic!("a partial match covering most of the keyword is a match");
        };
        assert_eq!(best.quality, MatchQuality::Partial);
    }
}
