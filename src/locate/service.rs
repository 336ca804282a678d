//! Services on a page, by structure: the smallest container that holds a service's name, its
//! renewal state and its controls. `switch_off: [X]` and `status` read service X only, and
//! say `unknown` when its state cannot be read — never another service's words.
//!
//! Pure: a snapshot in, a reading out.

use serde::Serialize;

use super::lexicon::{
    classify, intent_of, names_renewal_only, normalize, says_nothing_to_cancel, setting_words,
    statements, Intent, SwitchState,
};
use super::score::{rank, Want};
use super::snapshot::{Candidate, Snapshot};
use crate::script::Target;

/// How far out from the named element a container is looked for.
const MAX_CLIMB: usize = 8;

/// One service as read from the page.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// The element carrying the target's words.
    pub anchor: Candidate,
    /// The container found around it (an index into `Snapshot::blocks`).
    pub block: Option<usize>,
    pub state: SwitchState,
    /// What the state was read from, for people: “switch checked”, “自动续费：已开启”…
    pub read_from: String,
    /// The switch that turns it off, when it has one.
    pub switch: Option<Candidate>,
    /// Its cancel entry (取消自动续费, Cancel subscription), when it has one.
    pub cancel: Option<Candidate>,
    /// The state was read from a switch or said outright, not inferred (from a date, or from
    /// a cancel entry alone).
    pub firm: bool,
}

/// What `switch_off` should do on this page.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Click this element of this service (a checked switch or its cancel entry).
    Act {
        service: Box<Service>,
        element: Box<Candidate>,
    },
    /// Every service the target names reads off.
    AlreadyOff(Box<Service>),
    /// The target is on the page but nothing says whether its renewal is on: what was read.
    Unreadable(String),
    /// The target is on, but nothing on the page turns it off here.
    NoControl(Box<Service>),
    /// No visible element carries the target's words.
    Missing,
    /// The target's words are on the page only where it says there is nothing to cancel
    /// (暂无自动续费服务): the phrase.
    NothingHere(String),
}

/// Every service the target's words name, innermost containers first, each read on its own.
pub fn services(snap: &Snapshot, target: &Target) -> Vec<Service> {
    let (anchors, _) = rank(snap, target, Want::Any);
    let mut out: Vec<Service> = Vec::new();
    for choice in anchors {
        let anchor = choice.candidate;
        // 暂无自动续费服务 carries the words, and says there is no service.
        if says_nothing_to_cancel(anchor.visible_label()).is_some() {
            continue;
        }
        // A navigation tab or menu that carries the words is where to go, not the service.
        let navigates = anchor.tag == "a"
            || anchor.tag == "button"
            || matches!(anchor.role.as_str(), "tab" | "link" | "menuitem" | "button");
        // A toggle button (aria-pressed) says its state: it is the switch, not a way there.
        let toggle = anchor.switch_like || anchor.checked.is_some();
        if navigates && !toggle && intent_of(&anchor) == Intent::Navigate {
            continue;
        }
        let service = read(snap, anchor);
        if out.iter().any(|s| same_service(s, &service)) {
            continue;
        }
        out.push(service);
    }
    // A container that holds another service's container is the list, not a service —
    // unless the inner one is only a cancel entry's own corner and the outer one says the
    // state: then the inner one is part of it.
    let inside = |outer: &Service, inner: &Service| {
        !std::ptr::eq(outer, inner)
            && outer.block.is_some()
            && inner.block != outer.block
            && snap.ancestors(inner.block).any(|b| Some(b) == outer.block)
    };
    let nested: Vec<bool> = out
        .iter()
        .map(|me| {
            let holds = out.iter().any(|inner| inside(me, inner));
            // Only a corner that holds a cancel entry and nothing else is part of a firmer
            // reading around it; a bare mention is not.
            let corner = |x: &Service| !x.firm && x.cancel.is_some() && x.switch.is_none();
            let holds_weaker_only = out
                .iter()
                .filter(|inner| inside(me, inner))
                .all(|inner| me.firm && corner(inner));
            let held_by_firmer = out
                .iter()
                .any(|outer| inside(outer, me) && outer.firm && corner(me));
            (holds && !holds_weaker_only) || held_by_firmer
        })
        .collect();
    let out: Vec<Service> = out
        .into_iter()
        .zip(nested)
        .filter(|(_, n)| !n)
        .map(|(s, _)| s)
        .collect();
    // A mention with nothing around it (an invoice line, a breadcrumb) is not the service
    // when the service itself is there with its state.
    let out: Vec<Service> = if out.iter().any(|s| !s.read_from.is_empty()) {
        out.into_iter()
            .filter(|s| !s.read_from.is_empty())
            .collect()
    } else {
        out
    };
    most_specific(snap, target, out)
}

/// Each service's identity: the words of the largest container around it that holds no
/// other one (the card around a row of 自动续费 未开启 carries the card's name).
pub fn identities(snap: &Snapshot, found: &[Service]) -> Vec<String> {
    found
        .iter()
        .zip(identity_blocks(snap, found))
        .map(|(s, identity)| {
            let block = identity
                .and_then(|b| snap.blocks.get(b))
                .map(|b| b.text.as_str())
                .unwrap_or("");
            normalize(&format!("{} {block}", s.anchor.visible_label()))
        })
        .collect()
}

/// Each service's identity container: the largest around it that holds no other service's.
pub fn identity_blocks(snap: &Snapshot, found: &[Service]) -> Vec<Option<usize>> {
    found
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let others: Vec<Option<usize>> = found
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, o)| o.block)
                .collect();
            let mut identity = s.block;
            for b in snap.ancestors(s.block) {
                let block = &snap.blocks[b];
                let holds_other = others.iter().any(|o| snap.ancestors(*o).any(|a| a == b));
                if block.big || holds_other {
                    break;
                }
                identity = Some(b);
            }
            identity
        })
        .collect()
}

/// Where the target's words include a service's name and a word every service carries
/// (黄金VIP会员 and 自动续费), the name decides: only the services that carry a word not all
/// of them carry are the one meant.
fn most_specific(snap: &Snapshot, target: &Target, found: Vec<Service>) -> Vec<Service> {
    if found.is_empty() {
        return found;
    }
    let texts = identities(snap, &found);
    let words: Vec<String> = target
        .all_words()
        .map(|w| normalize(w))
        .filter(|w| !w.is_empty())
        .collect();
    // A service's name that is nowhere among them: what the renewal words found belongs to
    // other services (the one named is not on this page).
    let names: Vec<String> = target
        .all_words()
        .filter(|w| !names_renewal_only(w))
        .cloned()
        .collect();
    if !names.is_empty() {
        let title = normalize(&snap.title);
        let in_title = names.iter().any(|w| title.contains(&normalize(w)));
        let (shown, hidden) = rank(snap, &Target::keywords(names), Want::Any);
        if shown.is_empty() && hidden.is_empty() && !in_title {
            return Vec::new();
        }
    }
    let naming: Vec<&String> = words
        .iter()
        .filter(|w| {
            let n = texts.iter().filter(|t| t.contains(w.as_str())).count();
            n > 0 && n < texts.len()
        })
        .collect();
    if naming.is_empty() {
        return found;
    }
    found
        .into_iter()
        .zip(texts)
        .filter(|(_, t)| naming.iter().any(|w| t.contains(w.as_str())))
        .map(|(s, _)| s)
        .collect()
}

fn same_service(a: &Service, b: &Service) -> bool {
    match (a.block, b.block) {
        (Some(x), Some(y)) => x == y,
        _ => a.anchor.css == b.anchor.css && a.anchor.frame == b.anchor.frame,
    }
}

/// Reads the service around one anchor: climbs from it to the first container that holds a
/// renewal switch, a cancel entry or a statement of the state, never past an item of a list
/// (one card of several, a table row) and never into a container too large to be one service.
pub fn read(snap: &Snapshot, anchor: Candidate) -> Service {
    // A switch, or a toggle button (aria-pressed) carrying the words: it says its own state.
    let toggle = anchor.checked.is_some()
        && !anchor.editable
        && anchor.input_type != "radio"
        && !anchor.role.contains("radio");
    if (anchor.switch_like || toggle) && anchor.checked.is_some() {
        let on = anchor.checked == Some(true);
        return Service {
            block: anchor.block,
            state: if on {
                SwitchState::On
            } else {
                SwitchState::Off
            },
            read_from: format!(
                "the switch “{}” is {}",
                short(anchor.visible_label()),
                if on { "on" } else { "off" }
            ),
            switch: Some(anchor.clone()),
            cancel: None,
            firm: true,
            anchor,
        };
    }
    let chain: Vec<usize> = snap.ancestors(anchor.block).take(MAX_CLIMB).collect();
    // The containers that may be this service's: up to the first item of a list (one card
    // of several, a table row) — what lies beyond belongs to the other items — and never a
    // dialog's outside or a page-sized block.
    let mut reach = Vec::new();
    let mut item: Option<usize> = None;
    for &b in &chain {
        let block = &snap.blocks[b];
        if block.big {
            break;
        }
        // Stepping out of one item of several (a card of a list, a row): only when the other
        // items say nothing of a renewal state and offer no way to change one — rows of one
        // service's card, not services of a list.
        // A container that is itself one of several (a card of a list) holds one service's
        // rows: they are read together.
        if let Some(inner) = item {
            let one_of_several = block.peers > 1 && !is_cell(&block.tag);
            if !one_of_several && others_speak(snap, b, inner) {
                break;
            }
        }
        // A block that holds several items that each speak of a state is the list of
        // services, not one of them: what the named element is outside of.
        if holds_speaking_items(snap, b) {
            break;
        }
        reach.push(b);
        if block.dialog {
            break;
        }
        // Cells and inline words repeat inside one service; items of a list are blocks.
        item = (block.peers > 1 && !is_cell(&block.tag)).then_some(b);
    }
    for (level, &b) in reach.iter().enumerate() {
        let signals = signals_in(snap, b, &anchor);
        let firm = signals.switch.is_some() || signals.said.iter().any(|s| !s.2);
        let Some(mut service) = signals.into_service(anchor.clone(), b) else {
            continue;
        };
        if firm
            && (service.switch.is_some()
                || service.cancel.is_some()
                || service.state != SwitchState::On)
        {
            return service;
        }
        // Read from a date of the next charge or from a cancel entry alone, or without a way
        // to change it: further out (the card around a `dl`, the foot of the card) a switch
        // or the state said outright decides, and the control may sit there.
        for &outer in &reach[level + 1..] {
            let more = signals_in(snap, outer, &anchor);
            if more.switch.is_some() {
                // A switch out there decides, and is the control.
                if let Some(mut outer_service) = more.into_service(anchor.clone(), outer) {
                    if outer_service.cancel.is_none() {
                        outer_service.cancel = service.cancel.clone();
                    }
                    return outer_service;
                }
                break;
            }
            let contradicts = more
                .said
                .iter()
                .any(|(st, _, weak)| !weak && *st != service.state);
            if contradicts {
                if !firm {
                    if let Some(outer_service) = more.into_service(anchor.clone(), outer) {
                        return outer_service;
                    }
                }
                break;
            }
            if service.cancel.is_none() && more.cancel.is_some() {
                service.cancel = more.cancel;
                break;
            }
        }
        return service;
    }
    Service {
        block: chain.first().copied(),
        state: SwitchState::Unknown,
        read_from: String::new(),
        switch: None,
        cancel: None,
        firm: false,
        anchor,
    }
}

/// Cells and inline words: they repeat inside one service.
fn is_cell(tag: &str) -> bool {
    matches!(
        tag,
        "td" | "th" | "dt" | "dd" | "span" | "a" | "b" | "i" | "em" | "strong" | "label" | "p"
    )
}

/// A renewal switch with a readable state, or an entry the lexicon reads as cancelling.
fn renewal_control(c: &Candidate) -> bool {
    (c.switch_like && c.checked.is_some() && is_renewal_switch(c))
        || matches!(
            intent_of(c),
            Intent::CancelRenewal | Intent::CancelMembership
        )
}

/// Whether block `b` holds two or more items of one list (same tag and classes) that each
/// say a state or offer a renewal control.
fn holds_speaking_items(snap: &Snapshot, b: usize) -> bool {
    let mut speaking: std::collections::HashMap<Option<usize>, usize> = Default::default();
    for (i, block) in snap.blocks.iter().enumerate() {
        if block.peers < 2 || block.big || i == b {
            continue;
        }
        if !snap.ancestors(block.parent).any(|a| a == b) {
            continue;
        }
        let says = !statements(&block.text).is_empty()
            || snap
                .candidates
                .iter()
                .any(|c| c.visible && snap.within(c, i) && renewal_control(c));
        if says {
            *speaking.entry(block.parent).or_default() += 1;
        }
    }
    speaking.values().any(|n| *n >= 2)
}

/// Whether block `outer` holds, outside its item `inner`, a statement of a renewal state, a
/// renewal switch or a cancel entry: the other items are services of their own.
fn others_speak(snap: &Snapshot, outer: usize, inner: usize) -> bool {
    let said = |b: usize| statements(&snap.blocks[b].text).len();
    if said(outer) > said(inner) {
        return true;
    }
    snap.candidates.iter().any(|c| {
        snap.within(c, outer)
            && !snap.within(c, inner)
            && c.visible
            && (renewal_control(c) || (c.interactive && ends_something(c)))
    })
}

struct Signals {
    switch: Option<Candidate>,
    cancel: Option<Candidate>,
    /// (state, words, inferred from a date)
    said: Vec<(SwitchState, String, bool)>,
}

fn signals_in(snap: &Snapshot, b: usize, anchor: &Candidate) -> Signals {
    let members: Vec<&Candidate> = snap
        .candidates
        .iter()
        .filter(|c| snap.within(c, b))
        .collect();
    // Switches: the visible control, or the real checkbox a styled one wraps.
    let switches: Vec<&Candidate> = members
        .iter()
        .copied()
        .filter(|c| c.switch_like && c.checked.is_some() && c.interactive)
        .filter(|c| c.visible || c.input_type == "checkbox")
        .collect();
    // A hidden checkbox wrapped by a visible styled switch is the same switch.
    let switches: Vec<&Candidate> = switches
        .iter()
        .copied()
        .filter(|c| {
            // The checkbox a styled switch wraps or labels is that switch.
            !switches
                .iter()
                .any(|o| !o.for_input.is_empty() && o.for_input == c.css)
                && (c.visible || !switches.iter().any(|o| o.visible && o.checked == c.checked))
        })
        .filter(|c| {
            // An acknowledgement box or a reason is not the service's switch.
            !matches!(
                classify(c.visible_label(), None),
                Intent::Acknowledge | Intent::Reason
            )
        })
        .collect();
    let switches: Vec<&Candidate> = switches;
    let visible_switch = switches
        .iter()
        .find(|c| c.visible)
        .or_else(|| switches.first())
        .copied();
    // A switch that does not say what it switches counts only where the named element is the
    // renewal setting's own label (自动续费 [switch]); beside a service's name it could be any
    // setting (a reminder, notifications).
    let anchor_names_renewal = is_renewal_words(anchor.visible_label());
    let switches: Vec<&Candidate> = switches
        .into_iter()
        .filter(|c| anchor_names_renewal || is_renewal_switch(c))
        .collect();
    let switch = (switches.len() == 1 || renewal_switches(&switches) == 1)
        .then(|| {
            switches
                .iter()
                .copied()
                .find(|c| is_renewal_switch(c))
                .or(visible_switch)
        })
        .flatten()
        .map(|c| prefer_visible(c, &members));
    // Its cancel entry: the lexicon's words first, then a control that ends something
    // (a bare 取消 / Cancel, 关闭服务, Turn off) — in a service's own container that is what
    // it ends.
    let controls = || {
        members
            .iter()
            .copied()
            .filter(|c| c.visible && c.interactive && c.enabled && !c.switch_like && !c.container)
            .filter(|c| c.dialog.is_none() || snap.blocks[b].dialog)
    };
    let cancel = controls()
        .find(|c| intent_of(c) == Intent::CancelRenewal)
        .or_else(|| controls().find(|c| intent_of(c) == Intent::CancelMembership))
        .or_else(|| controls().find(|c| ends_something(c)))
        .cloned();
    // What a button or link offers to do is not a state (开启自动续费 is a way to turn it on),
    // and its words must not join the words beside it into one (立即续费 开启自动续费).
    let mut text = snap.blocks[b].text.clone();
    for c in members
        .iter()
        .filter(|c| c.visible && c.interactive && !c.switch_like)
    {
        let intent = intent_of(c);
        let label = c.visible_label();
        if (intent == Intent::Decoy || intent == Intent::Stay || intent.is_commit())
            && !label.is_empty()
        {
            text = text.replacen(label, " | ", 1);
        }
    }
    // A confirmation that asks (it offers to go ahead) speaks of the change it is about to
    // make (“will not be charged again”), not of the state: its words are no reading.
    let in_dialog = snap.ancestors(Some(b)).any(|a| snap.blocks[a].dialog);
    let asks = in_dialog
        && snap
            .candidates
            .iter()
            .any(|c| c.visible && c.dialog.is_some() && intent_of(c) == Intent::Proceed);
    if asks {
        text.clear();
    }
    let said: Vec<(SwitchState, String, bool)> = statements(&text)
        .into_iter()
        .map(|s| (s.state, s.words, s.weak))
        .collect();
    Signals {
        switch,
        cancel,
        said,
    }
}

/// A control whose words end something (a bare 取消 / Cancel, 关闭服务, Turn off) and that the
/// lexicon reads as neither a decoy nor a way to stay.
pub fn ends_something(c: &Candidate) -> bool {
    use std::sync::LazyLock;
    static ENDING: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(关闭|取消|停止|终止|解除|退订|解绑)\S{0,6}$|^cancel\S{0,16}$|^turn(it)?off|^switchoff|^end\S{0,14}$|^stop\S{0,14}$|^disable|^unsubscribe|^revoke|^unbind|^unlink",
        )
        .expect("a valid pattern")
    });
    matches!(intent_of(c), Intent::Neutral | Intent::Ambiguous)
        && ENDING.is_match(&normalize(c.visible_label()))
}

fn is_renewal_switch(c: &Candidate) -> bool {
    is_renewal_words(&format!("{} {} {} {}", c.text, c.label, c.aria, c.row))
}

/// Whether words are about renewal (续费, 包月, 代扣, renew, subscription…).
pub fn is_renewal_words(text: &str) -> bool {
    let words = normalize(text);
    [
        "续费",
        "续订",
        "包月",
        "包年",
        "包季",
        "扣费",
        "扣款",
        "代扣",
        "免密",
        "renew",
        "subscription",
        "autopay",
        "rebill",
    ]
    .iter()
    .any(|w| words.contains(w))
}

fn renewal_switches(switches: &[&Candidate]) -> usize {
    switches.iter().filter(|c| is_renewal_switch(c)).count()
}

/// A hidden checkbox inside a styled switch is read, but the styled part is what a person
/// clicks: the visible switch-like element that wraps or labels it, when there is one.
fn prefer_visible(c: &Candidate, members: &[&Candidate]) -> Candidate {
    if c.visible {
        return c.clone();
    }
    members
        .iter()
        .find(|m| {
            m.visible
                && m.interactive
                && m.switch_like
                && m.checked == c.checked
                && (c.css.starts_with(&format!("{} >", m.css)) || m.tag == "label")
        })
        .map(|m| (*m).clone())
        .unwrap_or_else(|| c.clone())
}

impl Signals {
    fn into_service(self, anchor: Candidate, b: usize) -> Option<Service> {
        if self.switch.is_none() && self.cancel.is_none() && self.said.is_empty() {
            return None;
        }
        let (state, read_from) = if let Some(sw) = &self.switch {
            let on = sw.checked == Some(true);
            (
                if on {
                    SwitchState::On
                } else {
                    SwitchState::Off
                },
                format!(
                    "the switch{} is {}",
                    label_of(sw),
                    if on { "on" } else { "off" }
                ),
            )
        } else if !self.said.is_empty() {
            // Said outright beats inferred from a date.
            let firm: Vec<&(SwitchState, String, bool)> =
                self.said.iter().filter(|s| !s.2).collect();
            let said: Vec<&(SwitchState, String, bool)> = if firm.is_empty() {
                self.said.iter().collect()
            } else {
                firm
            };
            let first = said[0].0;
            if said.iter().all(|(s, _, _)| *s == first) {
                (first, format!("the page says “{}”", said[0].1))
            } else {
                // Both said of one service: the page contradicts itself, or the container
                // holds more than one service. Unknown, and say what was read.
                (
                    SwitchState::Unknown,
                    format!(
                        "the page says both {}",
                        said.iter()
                            .map(|(s, w, _)| format!("“{w}” ({})", s.as_str()))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                )
            }
        } else {
            // Only a way to cancel is offered: what it cancels is on.
            (
                SwitchState::On,
                format!(
                    "the page offers “{}” and states nothing else",
                    self.cancel
                        .as_ref()
                        .map(|c| c.visible_label())
                        .unwrap_or("")
                ),
            )
        };
        let firm = self.switch.is_some() || self.said.iter().any(|s| !s.2);
        Some(Service {
            anchor,
            block: Some(b),
            state,
            read_from,
            switch: self.switch,
            cancel: self.cancel,
            firm,
        })
    }
}

fn label_of(c: &Candidate) -> String {
    let l = c.visible_label();
    if l.is_empty() {
        String::new()
    } else {
        format!(" “{}”", short(l))
    }
}

fn short(s: &str) -> String {
    let n: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        format!("{n}…")
    } else {
        n
    }
}

/// What `switch_off` does on this page: act on the first service that reads on; already off
/// only when every service the target names reads off.
pub fn decide(snap: &Snapshot, target: &Target) -> Decision {
    let found = services(snap, target);
    if found.is_empty() {
        return match nothing_here(snap, target) {
            Some(words) => Decision::NothingHere(words),
            None => Decision::Missing,
        };
    }
    if let Some(on) = found.iter().find(|s| s.state == SwitchState::On) {
        let element = match (&on.switch, &on.cancel) {
            (Some(sw), _) if sw.checked == Some(true) && sw.enabled => Some(sw.clone()),
            (_, Some(cancel)) => Some(cancel.clone()),
            _ => None,
        };
        return match element {
            Some(element) => Decision::Act {
                service: Box::new(on.clone()),
                element: Box::new(element),
            },
            None => Decision::NoControl(Box::new(on.clone())),
        };
    }
    if found.iter().all(|s| s.state == SwitchState::Off) {
        // Words that name only the setting (自动续费) and no service: "off" must hold for
        // every renewal setting on the page, or it is another service's "off" — a false off
        // for the one that is on.
        if target.all_words().all(|w| names_renewal_only(w)) {
            let every = Target::keywords(setting_words());
            if let Some(on) = services(snap, &every)
                .into_iter()
                .find(|s| s.state == SwitchState::On)
            {
                return Decision::Unreadable(format!(
                    "the renewal settings these words name read off, but another on this page reads on (“{}” at `{}`: {}); name the service in the target (its name next to the renewal word)",
                    short(on.anchor.visible_label()),
                    on.anchor.location(),
                    on.read_from
                ));
            }
        }
        return Decision::AlreadyOff(Box::new(found[0].clone()));
    }
    if found.iter().all(|s| s.read_from.is_empty()) {
        // Only mentions (a page title, a menu name), and the page says there is nothing.
        if let Some(words) = nothing_here(snap, target) {
            return Decision::NothingHere(words);
        }
    }
    Decision::Unreadable(describe_unread(&found))
}

fn describe_unread(found: &[Service]) -> String {
    found
        .iter()
        .map(|s| {
            let what = if s.read_from.is_empty() {
                "no switch, cancel entry or state next to it".to_string()
            } else {
                s.read_from.clone()
            };
            format!(
                "“{}” at `{}`: {what}",
                short(s.anchor.visible_label()),
                s.anchor.location()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The words of the page that say, where the target's words are, that there is nothing to
/// cancel.
fn nothing_here(snap: &Snapshot, target: &Target) -> Option<String> {
    let (anchors, _) = rank(snap, target, Want::Any);
    anchors
        .iter()
        .find_map(|c| says_nothing_to_cancel(c.candidate.visible_label()))
}

/// The state of the services the target names, for `status`: on when any reads on, off only
/// when all read off, unknown otherwise.
pub fn state(snap: &Snapshot, target: &Target) -> (SwitchState, String) {
    let found = services(snap, target);
    if let Some(on) = found.iter().find(|s| s.state == SwitchState::On) {
        return (SwitchState::On, on.read_from.clone());
    }
    if !found.is_empty() && found.iter().all(|s| s.state == SwitchState::Off) {
        return (SwitchState::Off, found[0].read_from.clone());
    }
    (SwitchState::Unknown, describe_unread(&found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::html::snapshot_from_html;

    fn target(words: &[&str]) -> Target {
        Target::keywords(words.iter().map(|w| w.to_string()).collect())
    }

    fn state_of(page: &str, words: &[&str]) -> SwitchState {
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        state(&snap, &target(words)).0
    }

    #[test]
    fn another_services_words_are_not_this_ones_state() {
        let page = r#"<ul>
          <li class="svc"><h3>超级影视VIP</h3><p>未开通自动续费</p></li>
          <li class="svc"><h3>黄金VIP会员</h3><p>有效期至 2026-03-01</p><button>立即续费</button></li>
        </ul>"#;
        assert_eq!(state_of(page, &["黄金VIP会员"]), SwitchState::Unknown);
        assert_eq!(state_of(page, &["超级影视VIP"]), SwitchState::Off);
    }

    #[test]
    fn state_as_data_and_the_cancel_entry_at_the_foot_of_the_card() {
        let page = r#"<div class="card"><h2>Premium</h2>
          <dl><dt>Auto-renew</dt><dd><span class="pill on">On</span> Next charge $29 on Jan 31</dd></dl>
          <p>Manage your plan below.</p>
          <div class="foot"><button>Upgrade</button><a href="/cancel">Cancel subscription</a></div></div>"#;
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        let Decision::Act { element, service } = decide(&snap, &target(&["Premium"])) else {
            panic!("not acted on");
        };
        assert_eq!(service.state, SwitchState::On);
        assert_eq!(element.text, "Cancel subscription");
    }

    #[test]
    fn a_styled_switch_reads_the_checkbox_it_wraps() {
        let page = r#"<div class="weui-cell"><div class="weui-cell__bd">自动续费</div>
          <div class="weui-cell__ft"><label class="weui-switch-cp"><input class="weui-switch-cp__input" type="checkbox" checked style="position:absolute;opacity:0">
          <div class="weui-switch-cp__box"></div></label></div></div>"#;
        assert_eq!(state_of(page, &["自动续费"]), SwitchState::On);
    }

    #[test]
    fn renewal_words_alone_never_read_off_while_another_setting_reads_on() {
        let page = r#"<ul>
          <li class="svc"><h3>音乐包</h3><p>自动续费：已关闭</p></li>
          <li class="svc"><h3>视频会员</h3><p>代扣协议 已签约</p><button>解约</button></li>
        </ul>"#;
        let snap = snapshot_from_html(page, "file:///t.html", &[]);
        assert!(matches!(
            decide(&snap, &target(&["自动续费"])),
            Decision::Unreadable(_)
        ));
        assert!(matches!(
            decide(&snap, &target(&["音乐包", "自动续费"])),
            Decision::AlreadyOff(_)
        ));
    }

    #[test]
    fn an_offer_to_turn_it_on_is_not_a_state() {
        let page = r#"<div class="card"><h3>星钻会员</h3><p>将于 2026-03-01 到期</p>
          <div class="acts"><button>立即续费</button><a href="/on">开启自动续费</a></div></div>"#;
        assert_ne!(state_of(page, &["星钻会员"]), SwitchState::On);
    }

    #[test]
    fn a_confirmation_speaks_of_the_change_not_of_the_state() {
        let page = r#"<div class="card"><h3>阅读会员</h3><p>代扣协议 已签约</p><button>解约</button></div>
          <div role="dialog" aria-modal="true"><h3>确认解约？</h3><p>阅读会员 到期后不再自动扣费。</p>
          <button>取消</button><button>确定</button></div>"#;
        assert_ne!(state_of(page, &["阅读会员"]), SwitchState::Off);
    }

    #[test]
    fn conditions_are_not_states() {
        let page = r#"<div class="row"><span>自动续费</span><p>关闭后到期将不再自动续费</p><a href="/off">关闭自动续费</a></div>"#;
        assert_eq!(state_of(page, &["自动续费"]), SwitchState::On);
    }
}
