//! What `explore` reads from a page it has never seen, with no script to say where to look:
//! a login form, a field that wants a code from a person, the words a logged-in page shows,
//! and the renewal settings of the memberships on the page, each named by the words that
//! tell it from the others.
//!
//! Pure: a snapshot in, a reading out. Every reading is checked the way the script it becomes
//! will read the page: the keywords chosen for a service must make `switch_off` find that
//! service and no other.

use serde::Serialize;

use super::lexicon::{
    names_renewal_only, normalize, setting_words, statements, Intent, SETTING_WORDS,
};
use super::score::{choose, Found, Want};
use super::service::{self, Decision, Service};
use super::snapshot::{Candidate, Snapshot};
use super::{intent_of, SwitchState};
use crate::script::Target;

/// The words of a login button (登录 is preferred over 微信授权登录 by the scoring).
pub const LOGIN_WORDS: &[&str] = &[
    "登录",
    "立即登录",
    "授权并登录",
    "Log in",
    "Login",
    "Sign in",
];

/// Labels of the account field of a login form.
pub const ACCOUNT_WORDS: &[&str] = &[
    "账号",
    "帐号",
    "用户名",
    "手机号",
    "邮箱",
    "Email",
    "Username",
    "Account",
    "Phone",
];

/// Labels of a field that wants a code a person receives or reads.
const CODE_WORDS: &[&str] = &[
    "验证码",
    "校验码",
    "动态码",
    "动态密码",
    "短信",
    "verification code",
    "captcha",
    "one-time",
    "otp",
];

/// Words a page shows only to a logged-in person, most telling first.
pub const LOGGED_IN_WORDS: &[&str] = &[
    "退出登录",
    "退出",
    "注销登录",
    "Log out",
    "Sign out",
    "Logout",
    "我的订单",
    "个人中心",
    "我的账户",
    "账户设置",
    "My account",
    "订单",
    "我的",
];

/// A login form on the page.
#[derive(Debug, Clone)]
pub struct LoginForm {
    pub account: Option<Candidate>,
    pub password: Option<Candidate>,
    /// A field for a code from a person (SMS, captcha): the login needs a person.
    pub code: Option<Candidate>,
    pub submit: Option<Candidate>,
}

fn field(c: &Candidate) -> bool {
    c.visible && c.editable && c.enabled && c.dialog.is_none()
}

fn says(c: &Candidate, words: &[&str]) -> bool {
    let t = normalize(&format!(
        "{} {} {} {} {}",
        c.label, c.placeholder, c.aria, c.name, c.id
    ));
    words.iter().any(|w| t.contains(&normalize(w)))
}

/// The login form of the page, when it has one: a password field, or a code field beside an
/// account field (an SMS login).
pub fn login_form(snap: &Snapshot) -> Option<LoginForm> {
    let fields: Vec<&Candidate> = snap.candidates.iter().filter(|c| field(c)).collect();
    let password = fields
        .iter()
        .find(|c| c.input_type == "password" && !says(c, CODE_WORDS))
        .map(|c| (*c).clone());
    let code = fields
        .iter()
        .find(|c| says(c, CODE_WORDS) && c.input_type != "hidden")
        .map(|c| (*c).clone());
    let account = fields
        .iter()
        .filter(|c| {
            matches!(
                c.input_type.as_str(),
                "" | "text" | "tel" | "email" | "number"
            )
        })
        .filter(|c| !says(c, CODE_WORDS))
        .find(|c| says(c, ACCOUNT_WORDS) || password.is_some())
        .map(|c| (*c).clone());
    if password.is_none() && (code.is_none() || account.is_none()) {
        return None;
    }
    let target = Target::keywords(LOGIN_WORDS.iter().map(|w| w.to_string()).collect());
    let submit = match choose(snap, &target, Want::Click) {
        Found::Match { best, .. } if best.candidate.dialog.is_none() => Some(best.candidate),
        _ => None,
    };
    Some(LoginForm {
        account,
        password,
        code,
        submit,
    })
}

/// The words a field is known by on its page, for `fill: { label: [...] }`: its label, else
/// its placeholder, else its accessible name; empty when it has none (then only css names it).
pub fn field_words(c: &Candidate) -> Vec<String> {
    let label = [&c.label, &c.placeholder, &c.aria, &c.title]
        .into_iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty() && s.chars().count() <= 24)
        .unwrap_or_default();
    if label.is_empty() {
        Vec::new()
    } else {
        vec![label.to_string()]
    }
}

/// The words the page shows now and did not show before logging in: what tells a saved
/// session is still logged in.
pub fn logged_in_words(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let was = normalize(&before.text);
    let now = normalize(&after.text);
    LOGGED_IN_WORDS
        .iter()
        .filter(|w| now.contains(&normalize(w)) && !was.contains(&normalize(w)))
        .take(1)
        .map(|w| w.to_string())
        .collect()
}

/// A password field in a dialog that is not open yet (a confirmation that asks for the login
/// password): its words, when the page has one.
pub fn dialog_password(snap: &Snapshot) -> Option<Vec<String>> {
    snap.candidates
        .iter()
        .filter(|c| !c.visible && c.editable && c.input_type == "password")
        .find(|c| {
            c.dialog.is_some()
                || snap
                    .ancestors(c.block)
                    .any(|b| snap.blocks.get(b).is_some_and(|b| b.dialog))
        })
        .map(|c| {
            let words = field_words(c);
            if words.is_empty() {
                vec!["密码".to_string()]
            } else {
                words
            }
        })
}

/// The target of a search for any renewal setting: the words that name the setting only
/// (a word that could be a service's own name would make the engine look for that service).
pub fn renewal_target() -> Target {
    Target::keywords(setting_words())
}

/// One membership's renewal setting as `explore` read it.
#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    /// The words that tell it from the other services on the page (none: it is the only one).
    pub name: Option<String>,
    /// The renewal word next to it (自动续费, 连续包月, Auto-renew).
    pub term: String,
    pub state: SwitchState,
    pub read_from: String,
    /// What `switch_off` would press: a switch or a cancel entry, located, never clicked.
    pub control: Option<Candidate>,
    /// Its container on the page (an index into the snapshot's blocks).
    #[serde(skip)]
    pub block: Option<usize>,
}

impl Membership {
    /// The keywords of the script's `switch_off`.
    pub fn keywords(&self) -> Vec<String> {
        self.name
            .iter()
            .cloned()
            .chain(std::iter::once(self.term.clone()))
            .collect()
    }
}

/// Every membership whose renewal setting the page shows — a switch, a state, or a cancel
/// entry next to its renewal words — each with keywords that make `switch_off` act on it
/// and read no other service differently. Several readings around one control (a switch
/// row, a status row, a title row of one card) are one membership. A service that no
/// keywords single out is left out: a script that might act on another service is worse
/// than none.
pub fn memberships(snap: &Snapshot) -> Vec<Membership> {
    // All the renewal words at once, then each word the page uses on its own: an element
    // that says the word exactly is read before one that only contains another renewal word
    // (a price line's 连续包月). The reading kept must cover every setting that reads on.
    let every = renewal_target();
    let on: Vec<Service> = service::services(snap, &every)
        .into_iter()
        .filter(|s| s.state == SwitchState::On)
        .collect();
    let mut best: Option<(bool, Vec<Membership>)> = None;
    let words = std::iter::once(every.clone()).chain(
        words_on_page(snap)
            .into_iter()
            .map(|w| Target::keywords(vec![w])),
    );
    for target in words {
        let found = memberships_by(snap, &target);
        let covers = on.iter().all(|s| found.iter().any(|m| covers(snap, m, s)));
        let better = match &best {
            None => true,
            Some((c, b)) => (covers, found.len()) > (*c, b.len()),
        };
        if better {
            best = Some((covers, found));
        }
    }
    // Where no reading covers every setting that reads on (rows of one card read apart), the
    // best one still goes: `switch_off` with words that name no service refuses to say
    // "already off" while another setting on the page reads on.
    best.map(|(_, found)| found).unwrap_or_default()
}

/// The renewal settings the page shows (a switch, a state, or a cancel entry beside renewal
/// words), before they are named: where a search for them can stop.
pub fn settings_seen(snap: &Snapshot) -> Vec<Service> {
    service::services(snap, &renewal_target())
        .into_iter()
        .filter(usable)
        .collect()
}

/// Where a search for the way out can stop: a membership it can name already, or several
/// settings, one of them with a control, that the page's names (read again) may tell apart.
/// A lone setting with nothing to press (免密支付 已开通 on a payments page) is not the way out.
pub fn way_out_here(snap: &Snapshot) -> bool {
    if !memberships(snap).is_empty() {
        return true;
    }
    let seen = settings_seen(snap);
    seen.len() >= 2 && seen.iter().any(|s| control_of(s).is_some())
}

/// The words that could name each setting the page shows: a page read again with them can
/// tell the services apart ([`memberships`] needs the names' own elements).
pub fn name_hints(snap: &Snapshot) -> Vec<String> {
    let found = settings_seen(snap);
    let identities = service::identities(snap, &found);
    let cards = service::identity_blocks(snap, &found);
    let mut out: Vec<String> = Vec::new();
    for (i, s) in found.iter().enumerate() {
        let others: Vec<&String> = identities
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| t)
            .collect();
        for w in name_words(snap, s, cards[i], &identities[i], &others)
            .into_iter()
            .chain(headings(s))
        {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    for w in card_words(snap, &found) {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Whether a membership's reading is the service `s` (the same container, one inside the
/// other, or the same control).
fn covers(snap: &Snapshot, m: &Membership, s: &Service) -> bool {
    let nested = |a: Option<usize>, b: Option<usize>| {
        a.is_some() && (a == b || snap.ancestors(b).any(|x| Some(x) == a))
    };
    (m.control.is_some() && m.control == control_of(s))
        || nested(m.block, s.block)
        || nested(s.block, m.block)
}

/// The renewal words the page's elements carry, in the lexicon's order.
fn words_on_page(snap: &Snapshot) -> Vec<String> {
    let texts: Vec<String> = snap
        .candidates
        .iter()
        .map(|c| normalize(&format!("{} {} {}", c.visible_label(), c.label, c.aria)))
        .collect();
    renewal_target()
        .text
        .into_iter()
        .filter(|w| {
            let w = normalize(w);
            texts.iter().any(|t| t.contains(&w))
        })
        .collect()
}

fn memberships_by(snap: &Snapshot, target: &Target) -> Vec<Membership> {
    let found: Vec<Service> = service::services(snap, target)
        .into_iter()
        .filter(usable)
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    let identities = service::identities(snap, &found);
    let cards = service::identity_blocks(snap, &found);
    // One membership: its renewal word alone finds it, and every reading agrees.
    let term = term_of(&found[0], &identities[0]);
    let alone = acted_on(snap, std::slice::from_ref(&term));
    let mut named: Vec<Membership> = Vec::new();
    if found.len() > 1 {
        for (i, s) in found.iter().enumerate() {
            let others: Vec<&String> = identities
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| t)
                .collect();
            let term = term_of(s, &identities[i]);
            let reading = name_words(snap, s, cards[i], &identities[i], &others)
                .into_iter()
                .filter_map(|name| {
                    let mut m = acted_on(snap, &[name.clone(), term.clone()])?;
                    m.name = Some(name);
                    Some(m)
                })
                .find(|m| m.control == control_of(s) || m.block == s.block);
            if let Some(m) = reading {
                if !named.iter().any(|o| same(o, &m)) {
                    named.push(m);
                }
            }
        }
    }
    match alone {
        Some(m) if named.len() <= 1 || named.iter().all(|o| same(o, &m)) => vec![m],
        _ if named.len() > 1 => named,
        _ if named.iter().any(|m| m.control.is_some()) => {
            named.into_iter().filter(|m| m.control.is_some()).collect()
        }
        // Rows of one card read apart (its state in one row, its cancel entry in another):
        // the card's heading names them together.
        _ => {
            let term = term_of(&found[0], &identities[0]);
            let names = found
                .iter()
                .flat_map(headings)
                .chain(card_words(snap, &found));
            names
                .into_iter()
                .find_map(|h| {
                    let mut m = acted_on(snap, &[h.clone(), term.clone()])?;
                    m.name = Some(h);
                    Some(m)
                })
                .into_iter()
                .collect()
        }
    }
}

/// The first words of the smallest container that holds every reading (the card whose rows
/// read apart), that could be its name.
fn card_words(snap: &Snapshot, found: &[Service]) -> Vec<String> {
    let Some(first) = found.first() else {
        return Vec::new();
    };
    let card = snap.ancestors(first.block).find(|b| {
        found
            .iter()
            .all(|s| snap.ancestors(s.block).any(|a| a == *b))
    });
    let Some(card) = card.and_then(|b| snap.blocks.get(b)).filter(|b| !b.big) else {
        return Vec::new();
    };
    card.text
        .split_whitespace()
        .filter(|w| plain_name(w) && statements(w).is_empty())
        .take(3)
        .map(str::to_string)
        .collect()
}

fn plain_name(w: &str) -> bool {
    let len = w.chars().count();
    (2..=24).contains(&len)
        && !w.chars().any(|c| c.is_ascii_digit())
        && !service::is_renewal_words(w)
        && !names_renewal_only(w)
}

/// The headings of the sections a service's elements sit in (a card's title).
fn headings(s: &Service) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let sections = [&s.anchor.section]
        .into_iter()
        .chain(s.switch.as_ref().map(|c| &c.section))
        .chain(s.cancel.as_ref().map(|c| &c.section));
    for h in sections {
        let h = h.trim();
        if plain_name(h) && !out.iter().any(|o| o == h) {
            out.push(h.to_string());
        }
    }
    out
}

fn same(a: &Membership, b: &Membership) -> bool {
    (a.control.is_some() && a.control == b.control) || (a.block.is_some() && a.block == b.block)
}

/// The membership a person named (`--service NAME`), when the page shows its renewal
/// setting: the keywords are the name and the renewal word next to it.
pub fn membership_named(snap: &Snapshot, name: &str) -> Option<Membership> {
    let named = Target::keywords(vec![name.to_string()]);
    let (shown, _) = super::score::rank(snap, &named, Want::Any);
    if shown.is_empty() {
        return None;
    }
    words_on_page(snap).into_iter().find_map(|term| {
        let mut m = acted_on(snap, &[name.to_string(), term])?;
        m.name = Some(name.to_string());
        Some(m)
    })
}

/// A service worth a script: its state can be read, or something beside it turns it off.
fn usable(s: &Service) -> bool {
    let control = s.switch.is_some() || s.cancel.is_some();
    (s.state != SwitchState::Unknown && !s.read_from.is_empty()) || control
}

fn control_of(s: &Service) -> Option<Candidate> {
    s.switch.clone().or_else(|| s.cancel.clone())
}

/// What `switch_off` with these keywords would read on this page: the state, the element it
/// would press (none when already off without one) — only when every service the keywords
/// name reads the same, so the script cannot mean two things.
fn acted_on(snap: &Snapshot, words: &[String]) -> Option<Membership> {
    let target = Target::keywords(words.to_vec());
    // Readings that say nothing (a mention in a page's intro) mean nothing either way.
    let read: Vec<Service> = service::services(snap, &target)
        .into_iter()
        .filter(|s| s.state != SwitchState::Unknown)
        .collect();
    let first = read.first()?;
    if read.iter().any(|s| s.state != first.state) {
        return None;
    }
    let (service, control, state) = match service::decide(snap, &target) {
        Decision::Act { service, element } => (service, Some(*element), SwitchState::On),
        Decision::AlreadyOff(service) => {
            let control = control_of(&service);
            (service, control, SwitchState::Off)
        }
        _ => return None,
    };
    Some(Membership {
        name: None,
        term: words.last().cloned().unwrap_or_default(),
        state,
        read_from: service.read_from.clone(),
        control,
        block: service.block,
    })
}

/// The renewal word of a service: its anchor's own words when they only name the setting,
/// else the first renewal word its container says.
fn term_of(s: &Service, identity: &str) -> String {
    let own = s.anchor.visible_label().trim();
    if names_renewal_only(own) {
        return own.to_string();
    }
    SETTING_WORDS
        .iter()
        .find(|w| names_renewal_only(w) && identity.contains(&normalize(w)))
        .or_else(|| {
            SETTING_WORDS
                .iter()
                .find(|w| normalize(own).contains(&normalize(w)))
        })
        .map(|w| w.to_string())
        .unwrap_or_else(|| own.chars().take(16).collect())
}

/// Words that could name the service, best first: its section's heading, then the first
/// words of its container that no other service's container has — never a renewal word, a
/// state, a date or amount, or the words of a control.
fn name_words(
    snap: &Snapshot,
    s: &Service,
    card: Option<usize>,
    identity: &str,
    others: &[&String],
) -> Vec<String> {
    let controls: Vec<String> = snap
        .candidates
        .iter()
        .filter(|c| c.interactive && intent_of(c) != Intent::Neutral)
        .map(|c| normalize(c.visible_label()))
        .collect();
    let fit = |w: &str| {
        let n = normalize(w);
        plain_name(w)
            && identity.contains(&n)
            && !others.iter().any(|o| o.contains(&n))
            && statements(w).is_empty()
            && !controls.contains(&n)
    };
    let mut out: Vec<String> = headings(s).into_iter().filter(|h| fit(h)).collect();
    let block_text = card
        .or(s.block)
        .and_then(|b| snap.blocks.get(b))
        .map(|b| b.text.clone())
        .unwrap_or_default();
    for w in block_text.split_whitespace().map(str::to_string) {
        if fit(&w) && !out.contains(&w) {
            out.push(w);
        }
        if out.len() >= 4 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::html::snapshot_from_html;

    fn snap(html: &str) -> Snapshot {
        snapshot_from_html(html, "http://127.0.0.1/x", &[])
    }

    #[test]
    fn a_login_form_by_its_fields() {
        let s = snap(
            r#"<form><label for=u>手机号</label><input id=u><label for=p>密码</label><input id=p type=password>
               <button>登录</button><a href="/wx">微信授权登录</a><a href="/reg">注册</a></form>"#,
        );
        let f = login_form(&s).expect("a login form");
        assert_eq!(field_words(f.account.as_ref().unwrap()), vec!["手机号"]);
        assert!(f.password.is_some());
        assert!(f.code.is_none());
        assert_eq!(f.submit.unwrap().text, "登录");
    }

    #[test]
    fn an_sms_login_wants_a_person() {
        let s = snap(
            r#"<form><input placeholder="请输入手机号"><input placeholder="短信验证码"><button>获取验证码</button><button>登录</button></form>"#,
        );
        let f = login_form(&s).expect("a login form");
        assert!(f.code.is_some());
        assert!(f.password.is_none());
    }

    #[test]
    fn no_form_on_a_page_with_a_search_box() {
        let s = snap(r#"<input placeholder="搜索"><a href="/vip">会员中心</a>"#);
        assert!(login_form(&s).is_none());
    }

    #[test]
    fn two_memberships_each_named_by_its_own_words() {
        let s = snap(
            r#"<ul><li class="svc"><h3>黄金VIP会员</h3><p>自动续费：已开启</p><button>取消自动续费</button></li>
               <li class="svc"><h3>超级影视VIP</h3><p>自动续费：已关闭</p></li></ul>"#,
        );
        let found = memberships(&s);
        assert_eq!(found.len(), 2, "{found:#?}");
        let gold = found.iter().find(|m| m.state == SwitchState::On).unwrap();
        assert_eq!(gold.name.as_deref(), Some("黄金VIP会员"));
        assert_eq!(gold.control.as_ref().unwrap().text, "取消自动续费");
        let film = found.iter().find(|m| m.state == SwitchState::Off).unwrap();
        assert_eq!(film.name.as_deref(), Some("超级影视VIP"));
    }

    #[test]
    fn a_menu_entry_with_the_words_is_not_a_membership() {
        let s = snap(r#"<nav><a href="/renew">自动续费管理</a><a href="/me">我的</a></nav>"#);
        assert!(memberships(&s).is_empty());
    }

    #[test]
    fn the_rows_of_one_card_are_one_membership() {
        let s = snap(
            r#"<div class="group"><div class="cell"><div><b>白银会员 · 连续包季</b><div class="sub">¥45/季 · 下次扣费 2027-01-05</div></div></div>
               <div class="cell"><label for="sw">自动续费</label><input type="checkbox" id="sw" checked></div>
               <div class="cell"><span>状态</span><span class="sub">自动续费已开启</span></div></div>"#,
        );
        let found = memberships(&s);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].keywords(), vec!["自动续费"]);
        assert_eq!(found[0].state, SwitchState::On);
        assert_eq!(found[0].control.as_ref().unwrap().id, "sw");
    }

    #[test]
    fn the_words_that_appear_after_login() {
        let before = snap(r#"<a href="/">首页</a><button>登录</button>"#);
        let after = snap(r#"<a href="/">首页</a><a href="/logout">退出登录</a>"#);
        assert_eq!(logged_in_words(&before, &after), vec!["退出登录"]);
    }
}
