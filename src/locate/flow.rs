//! The next move through a confirmation chain (dialogs, sheets, pages), decided on a
//! snapshot: tick the acknowledgements, pick a reason, press the way forward — never a stay
//! button, a decoy or a purchase. Pure; the runner clicks what this returns and checks that
//! each click changed something.

use std::collections::HashSet;

use super::lexicon::{
    about_change, classify, generic_proceed, intent_of, is_purchase_dialog, normalize,
    says_purchase, says_success, Intent,
};
use super::snapshot::{Candidate, Snapshot};
use crate::script::ConfirmWords;

/// One move of `confirm`.
#[derive(Debug, Clone)]
pub enum Move {
    /// Tick this acknowledgement box (我已了解相关说明, I understand).
    Tick(Candidate),
    /// Pick this reason (不再需要, Too expensive).
    Reason(Candidate),
    /// Press this: it carries the cancellation forward.
    Proceed(Candidate),
    /// The way forward is there but disabled (a countdown, a box still to tick elsewhere).
    WaitEnabled(Candidate),
    /// Only choices the guard never clicks: what they are.
    Refuse(String),
    /// Nothing here to act on.
    Nothing,
}

/// A stable key for an element of the page across snapshots: where it is and what it says.
pub fn key(c: &Candidate) -> String {
    format!(
        "{:?}|{:?}|{}|{}",
        c.frame,
        c.shadow,
        c.css,
        normalize(c.visible_label())
    )
}

/// The next move on this snapshot; `done` holds the keys of the elements already ticked,
/// picked or pressed in this chain (never twice).
pub fn next_move(snap: &Snapshot, words: &ConfirmWords, done: &HashSet<String>) -> Move {
    let scope = Scope::of(snap);
    // Acknowledgement boxes first: the way forward is often disabled until they are ticked.
    if let Some(tick) = acknowledgement(snap, &scope, words, done) {
        return tick;
    }
    // A reason, when one is asked for and none is picked yet.
    if let Some(reason) = reason(snap, &scope, words, done) {
        return reason;
    }
    // The way forward: the script's words first, then the lexicon's, then the context.
    let (mut forward, refused) = forward_by_words(snap, &scope, words);
    if forward.is_empty() && scope.dialog_open {
        forward = forward_in_dialog(snap, &scope);
    }
    if forward.is_empty() && !scope.purchase_page && !scope.dialog_open {
        forward = forward_on_page(snap, &scope);
    }
    if forward.is_empty() && !scope.purchase_page && !scope.dialog_open {
        forward = lone_cancel(snap, &scope);
    }
    forward.sort_by_key(|(rank, c)| (*rank, usize::from(c.dialog.is_none()), c.idx));
    let fresh = forward.iter().find(|(_, c)| !done.contains(&key(c)));
    // Pressed already and still there: the lexicon's own way forward is reported as stuck;
    // a 确定 / Save taken from the page's context has done its part.
    let again = forward.first().filter(|(rank, _)| *rank < 103);
    match fresh.or(again) {
        Some((_, c)) if !c.enabled => match gate_box(snap, &scope, done) {
            Some(b) => Move::Tick(b.clone()),
            None => Move::WaitEnabled((*c).clone()),
        },
        Some((_, c)) => Move::Proceed((*c).clone()),
        None if !refused.is_empty() => Move::Refuse(refused.join(", ")),
        None => Move::Nothing,
    }
}

/// What the page is: whether a dialog is open (then only its controls count) and whether
/// it is about paying.
struct Scope {
    dialog_open: bool,
    purchase_page: bool,
}

impl Scope {
    fn of(snap: &Snapshot) -> Scope {
        let dialog_open = !snap.dialogs.is_empty();
        Scope {
            dialog_open,
            purchase_page: !dialog_open && says_purchase(&snap.text),
        }
    }

    /// A visible control in reach: in the open dialog, when there is one.
    fn holds(&self, c: &Candidate) -> bool {
        c.visible && (!self.dialog_open || c.dialog.is_some())
    }
}

/// A ranked way forward.
type Ranked<'s> = Vec<(usize, &'s Candidate)>;

/// The first unticked box that acknowledges something (the script's words or the lexicon's).
fn acknowledgement(
    snap: &Snapshot,
    scope: &Scope,
    words: &ConfirmWords,
    done: &HashSet<String>,
) -> Option<Move> {
    snap.candidates
        .iter()
        .filter(|c| scope.holds(c))
        .filter(|c| c.checked == Some(false) && !done.contains(&key(c)))
        .find(|c| {
            let label = format!("{} {}", c.label, c.text);
            words
                .acknowledge
                .iter()
                .any(|w| normalize(&label).contains(&normalize(w)))
                || classify(&c.label, c.dialog.as_ref()) == Intent::Acknowledge
                || classify(&c.text, c.dialog.as_ref()) == Intent::Acknowledge
        })
        .map(|c| Move::Tick(c.clone()))
}

/// A reason to pick, when the page asks for one and none is picked yet: the script's first
/// word that is offered, else the first reason.
fn reason(
    snap: &Snapshot,
    scope: &Scope,
    words: &ConfirmWords,
    done: &HashSet<String>,
) -> Option<Move> {
    let reasons: Vec<&Candidate> = snap
        .candidates
        .iter()
        .filter(|c| scope.holds(c))
        .filter(|c| c.interactive && !c.editable)
        .filter(|c| {
            words
                .reason
                .iter()
                .any(|w| normalize(c.visible_label()) == normalize(w))
                || intent_of(c) == Intent::Reason
        })
        .collect();
    let picked = reasons
        .iter()
        .any(|c| c.checked == Some(true) || done.contains(&key(c)));
    if reasons.is_empty() || picked {
        return None;
    }
    let pick = words
        .reason
        .iter()
        .find_map(|w| {
            reasons
                .iter()
                .find(|c| normalize(c.visible_label()) == normalize(w))
        })
        .unwrap_or(&reasons[0]);
    Some(Move::Reason((*pick).clone()))
}

/// The ways forward by words, with what was refused and why.
fn forward_by_words<'s>(
    snap: &'s Snapshot,
    scope: &Scope,
    words: &ConfirmWords,
) -> (Ranked<'s>, Vec<String>) {
    let mut forward = Vec::new();
    let mut refused = Vec::new();
    for c in snap
        .candidates
        .iter()
        .filter(|c| scope.holds(c))
        .filter(|c| c.interactive && !c.editable && !c.switch_like)
    {
        let intent = intent_of(c);
        if intent.is_forbidden() {
            refused.push(format!("“{}” ({})", c.visible_label(), intent.as_str()));
            continue;
        }
        let scripted = words
            .proceed
            .iter()
            .position(|w| normalize(c.visible_label()) == normalize(w));
        let generic = c.dialog.is_none() && scope.purchase_page;
        if generic && intent == Intent::Proceed && scripted.is_none() {
            refused.push(format!("“{}” (on a payment page)", c.visible_label()));
            continue;
        }
        if let Some(rank) = scripted {
            forward.push((rank, c));
        } else if intent == Intent::Proceed {
            forward.push((100, c));
        } else if intent.is_commit() {
            // A confirm page repeats the cancel words on its final button (Cancel plan).
            forward.push((101 + usize::from(!scope.dialog_open), c));
        }
    }
    (forward, refused)
}

/// A dialog that opened in the chain after the change is about the change, unless it is
/// about paying or an offer: its 下一步 / 确定 goes ahead.
fn forward_in_dialog<'s>(snap: &'s Snapshot, scope: &Scope) -> Ranked<'s> {
    let mut forward = Vec::new();
    for c in snap.candidates.iter().filter(|c| scope.holds(c)) {
        let Some(d) = &c.dialog else { continue };
        let offer = classify(&d.title, None) == Intent::Decoy;
        if c.interactive
            && generic_proceed(c.visible_label())
            && !is_purchase_dialog(d)
            && !offer
            && !says_success(&d.title)
        {
            forward.push((105, c));
        }
    }
    forward
}

/// A page of the chain (a reason page, a confirm page) says what it is about in its
/// heading: under 请选择关闭原因 / Cancel your plan, its 下一步 / 确定 goes ahead. And after a
/// switch was turned off on a page that saves with a button, 确定 / 保存 saves it.
fn forward_on_page<'s>(snap: &'s Snapshot, scope: &Scope) -> Ranked<'s> {
    let unsaved = snap
        .candidates
        .iter()
        .any(|c| c.visible && c.switch_like && c.checked == Some(false) && renewal_words(c));
    let mut forward = Vec::new();
    for c in snap.candidates.iter().filter(|c| scope.holds(c)) {
        if c.interactive && generic_proceed(c.visible_label()) {
            if says_success(&c.section) || says_success(&c.row) {
                // 已关闭自动续费 [确定]: the change is done; its 确定 only closes the notice.
                continue;
            }
            if about_change(&c.section) {
                forward.push((103, c));
            } else if unsaved {
                forward.push((104, c));
            }
        }
    }
    forward
}

/// A lone 取消 / Cancel under a heading that is the cancellation itself (Cancel
/// subscription), with nothing else that goes forward: the cancel button of that page.
fn lone_cancel<'s>(snap: &'s Snapshot, scope: &Scope) -> Ranked<'s> {
    let mut forward = Vec::new();
    for c in snap.candidates.iter().filter(|c| scope.holds(c)) {
        let about = classify(&c.section, None);
        if intent_of(c) == Intent::Ambiguous
            && matches!(about, Intent::CancelRenewal | Intent::CancelMembership)
            && c.enabled
        {
            forward.push((102, c));
        }
    }
    if forward.len() > 1 {
        forward.clear();
    }
    forward
}

/// Disabled until a box is ticked: the one unticked box beside it that is neither an offer
/// nor a renewal switch is the acknowledgement, whatever its words.
fn gate_box<'s>(
    snap: &'s Snapshot,
    scope: &Scope,
    done: &HashSet<String>,
) -> Option<&'s Candidate> {
    snap.candidates.iter().filter(|c| scope.holds(c)).find(|b| {
        b.checked == Some(false)
            && b.input_type == "checkbox"
            && !done.contains(&key(b))
            && !matches!(
                classify(&format!("{} {}", b.label, b.text), b.dialog.as_ref()),
                Intent::Decoy | Intent::Stay
            )
            && intent_of(b) != Intent::Decoy
    })
}

/// A switch whose words (its label, its row) are about renewal.
fn renewal_words(c: &Candidate) -> bool {
    super::service::is_renewal_words(&format!("{} {} {} {}", c.text, c.label, c.aria, c.row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::html::snapshot_from_html;

    fn moves(page: &str) -> Vec<String> {
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        let mut done = HashSet::new();
        let mut out = Vec::new();
        for _ in 0..6 {
            let m = next_move(&snap, &ConfirmWords::default(), &done);
            let (what, c) = match &m {
                Move::Tick(c) => ("tick", c),
                Move::Reason(c) => ("reason", c),
                Move::Proceed(c) => ("proceed", c),
                Move::WaitEnabled(c) => ("wait", c),
                Move::Refuse(why) => {
                    out.push(format!("refuse {why}"));
                    break;
                }
                Move::Nothing => break,
            };
            out.push(format!("{what} {}", c.visible_label()));
            if what == "proceed" || what == "wait" {
                break;
            }
            done.insert(key(c));
        }
        out
    }

    #[test]
    fn a_roleless_overlay_with_reasons_and_a_decoy_goes_to_the_final_button() {
        let page = r#"<body><div class="page"><a href="/off">关闭自动续费</a></div>
          <div style="position:fixed;inset:0;background:rgba(0,0,0,.5)"></div>
          <div style="position:fixed;top:50%;left:50%;transform:translate(-50%,-50%)">
            <p>确定要解约吗？</p>
            <div class="opts"><span class="opt" style="cursor:pointer">不再需要</span><span class="opt" style="cursor:pointer">价格太贵</span></div>
            <button class="big">立即订购新套餐</button><button>取消</button><button>确认解约</button>
          </div></body>"#;
        assert_eq!(
            moves(page),
            ["reason 不再需要", "proceed 确认解约"],
            "one reason, then the final button: never the reason five times"
        );
    }

    #[test]
    fn a_lone_cancel_under_a_cancel_subscription_heading_goes_forward() {
        let page = r#"<section><h2>Cancel subscription</h2><p>Your plan ends on Jan 5.</p>
          <button>Cancel</button><a href="/account">Back to account</a></section>"#;
        assert_eq!(moves(page), ["proceed Cancel"]);
        // With a real way forward next to it, the bare word is the dismiss button.
        let page = r#"<section><h2>Cancel subscription</h2>
          <button>Cancel</button><button>Confirm cancellation</button></section>"#;
        assert_eq!(moves(page), ["proceed Confirm cancellation"]);
    }

    #[test]
    fn ok_in_an_order_confirmation_buys_something() {
        let page = r#"<div role="dialog" aria-modal="true"><h3>订单确认</h3>
          <p>超级会员 连续包月 实付 ¥25.00</p><button>取消</button><button>确定</button></div>"#;
        let m = moves(page);
        assert!(m[0].starts_with("refuse"), "{m:?}");
    }
}
