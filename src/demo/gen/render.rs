//! The HTML of a generated platform. The same functions draw the served pages (no labels,
//! with their script) and the static pages of each stage of the flow (labels, no script),
//! so what the pure engine tests read is what the browser gets.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::script;
use super::words::{date, fill};
use super::{
    screen_id, Carrier, Decoy, DialogForm, Entry, GenPage, Place, Platform, Renewal, Screen,
    StateForm, View,
};

/// The renewal of each service when a page is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Live {
    pub renew: Vec<bool>,
}

impl Live {
    pub(super) fn fresh(p: &Platform) -> Live {
        Live {
            renew: p
                .services
                .iter()
                .map(|s| s.renewal == Renewal::On)
                .collect(),
        }
    }
}

/// The labels of a static page's `<html>`.
pub(super) struct Case {
    pub stage: String,
    pub state: Option<&'static str>,
    pub confirm: Option<&'static str>,
}

/// How to draw a page: served (no `case`) or static, and the moment of the flow.
#[derive(Default)]
pub(super) struct Opts {
    pub case: Option<Case>,
    /// The step of the confirmation open over the service page.
    pub open: Option<usize>,
    /// The switch is off and not saved yet.
    pub unsaved: bool,
    /// The reason picked on an earlier page.
    pub reason: Option<String>,
    pub error: Option<String>,
}

/// Every labelled stage of the platform's flow.
pub(super) fn stages(p: &Platform) -> Vec<GenPage> {
    let fresh = Live::fresh(p);
    let mut done = fresh.clone();
    done.renew[p.wanted] = false;
    let mut out = entry_stages(p, &fresh);
    out.push(labelled(
        p,
        "service".into(),
        View::Service,
        &fresh,
        stage_case("service", Some("on"), None),
        Opts::default(),
    ));
    if p.chain.save {
        out.push(labelled(
            p,
            "save".into(),
            View::Service,
            &fresh,
            stage_case("save", None, Some("proceed")),
            Opts {
                unsaved: true,
                ..Opts::default()
            },
        ));
    }
    out.extend(step_stages(p, &fresh));
    out.push(labelled(
        p,
        "done".into(),
        View::Service,
        &done,
        stage_case("done", Some("off"), Some("done")),
        Opts::default(),
    ));
    out
}

/// The labels of one stage.
fn stage_case(stage: &str, state: Option<&'static str>, confirm: Option<&'static str>) -> Case {
    Case {
        stage: stage.to_string(),
        state,
        confirm,
    }
}

/// The static page of one stage, drawn with its labels.
fn labelled(
    p: &Platform,
    stage: String,
    view: View,
    live: &Live,
    labels: Case,
    o: Opts,
) -> GenPage {
    let o = Opts {
        case: Some(labels),
        ..o
    };
    GenPage {
        stage,
        html: page(p, view, live, &o),
    }
}

/// The stages before the service page: the start page and each menu level on the way.
fn entry_stages(p: &Platform, fresh: &Live) -> Vec<GenPage> {
    let start = || {
        labelled(
            p,
            "start".into(),
            View::Start,
            fresh,
            stage_case("start", Some("unknown"), None),
            Opts::default(),
        )
    };
    match p.entry {
        Entry::Menu(depth) => {
            let mut out = vec![start()];
            for level in 1..depth as usize {
                let stage = format!("menu-{level}");
                out.push(labelled(
                    p,
                    stage.clone(),
                    View::Level(level),
                    fresh,
                    stage_case(&stage, Some("unknown"), None),
                    Opts::default(),
                ));
            }
            out
        }
        Entry::Hover | Entry::NewTab => vec![start()],
        _ => Vec::new(),
    }
}

/// The stages of the confirmation, one per step as it first shows.
fn step_stages(p: &Platform, fresh: &Live) -> Vec<GenPage> {
    let first_reason = p.words.lex.reasons[0].to_string();
    let mut reason_given = None;
    let mut out = Vec::new();
    for (i, screen) in p.screens().into_iter().enumerate() {
        let stage = screen.stage();
        let labels = stage_case(stage, None, Some("proceed"));
        let o = Opts {
            unsaved: p.chain.save,
            reason: reason_given.clone(),
            ..Opts::default()
        };
        out.push(match p.dialog {
            DialogForm::Pages => labelled(p, stage.into(), View::Step(i), fresh, labels, o),
            DialogForm::Iframe => labelled(p, stage.into(), View::Frame(i), fresh, labels, o),
            _ => labelled(
                p,
                stage.into(),
                View::Service,
                fresh,
                labels,
                Opts { open: Some(i), ..o },
            ),
        });
        if screen == Screen::Reason {
            reason_given = Some(first_reason.clone());
        }
    }
    out
}

/// One page of the platform. Served pages (no `o.case`) carry their script and no label.
pub(super) fn page(p: &Platform, view: View, live: &Live, o: &Opts) -> String {
    let r = R {
        p,
        labels: o.case.is_some(),
        muted: false,
    };
    if let View::Frame(i) = view {
        return frame_document(r, i, o);
    }
    // Everything behind an open step is out of reach.
    let under = if o.open.is_some() { r.muted() } else { r };
    let w = &p.words;
    let lex = w.lex;
    let mut late = None;
    let (title, side, body, tail) = match view {
        View::Start => (lex.tabs[0].to_string(), None, start(under), String::new()),
        View::Level(level) => {
            let (side, body) = level_page(under, level);
            (
                p.details.levels[level - 1].clone(),
                side,
                body,
                String::new(),
            )
        }
        View::Service => {
            let title = match p.entry {
                Entry::Menu(_) => p.details.levels.last().cloned().unwrap_or_default(),
                _ => w.page_title.clone(),
            };
            let (body, list) = service_page(under, &title, live, o);
            late = list;
            let side = (!p.entry.direct() && p.details.side_menu).then(|| service_side(under));
            (title, side, body, overlays(r, o))
        }
        View::Step(i) => (
            w.page_title.clone(),
            None,
            step_page(r, i, o),
            String::new(),
        ),
        View::Order(decoy) => {
            let (title, body) = order_page(r, decoy);
            (title, None, body, String::new())
        }
        View::Elsewhere(k) => {
            let label = p.details.elsewhere.get(k).cloned().unwrap_or_default();
            let body = format!(
                r#"<h1>{label}</h1><div class="{card}"><div class="{body}"><p class="muted">{empty}</p></div></div>"#,
                card = p.ui.card,
                body = p.ui.card_body,
                empty = lex.empty,
            );
            (label, None, body, String::new())
        }
        View::Frame(_) => unreachable!("drawn above"),
    };
    let chrome = chrome(under, view, &title, side, &body);
    let script = if r.labels {
        String::new()
    } else {
        script::page(p, view, late)
    };
    document(r, o, &title, &chrome, &format!("{tail}{script}"))
}

/// A renderer: labels on or off, and muted (every label a `never`) for what is hidden or
/// behind an open step.
#[derive(Clone, Copy)]
struct R<'a> {
    p: &'a Platform,
    labels: bool,
    muted: bool,
}

impl<'a> R<'a> {
    fn muted(self) -> R<'a> {
        R {
            muted: true,
            ..self
        }
    }

    /// The intent label, with the click a careful person makes here (unless muted).
    fn mark(&self, intent: &str, click: Option<&str>) -> String {
        if !self.labels {
            return String::new();
        }
        match click {
            _ if self.muted => format!(r#" data-expect="{intent}" data-expect-never"#),
            Some(click) => format!(r#" data-expect="{intent}" data-expect-click="{click}""#),
            None => format!(r#" data-expect="{intent}""#),
        }
    }

    fn never(&self, intent: &str) -> String {
        if self.labels {
            format!(r#" data-expect="{intent}" data-expect-never"#)
        } else {
            String::new()
        }
    }

    fn never_bare(&self) -> &'static str {
        if self.labels {
            " data-expect-never"
        } else {
            ""
        }
    }

    fn act(&self, action: &str) -> String {
        format!(r#" data-spm="{}""#, self.p.code(action))
    }
}

fn document(r: R, o: &Opts, title: &str, inner: &str, tail: &str) -> String {
    let p = r.p;
    let mobile = p.carrier == Carrier::H5;
    let viewport = if mobile {
        r#"<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">"#
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"{case}>
<head>
<meta charset="utf-8">{viewport}
<title>{title} - {brand}</title>
<style>{css}</style>
</head>
<body>
{inner}
{tail}
</body>
</html>
"#,
        lang = p.words.lex.html_lang,
        case = case_attrs(p, o),
        brand = p.words.brand,
        css = p.ui.css(mobile),
    )
}

fn case_attrs(p: &Platform, o: &Opts) -> String {
    let Some(case) = &o.case else {
        return String::new();
    };
    let axes: Vec<String> = p.axes().iter().map(|(k, v)| format!("{k}:{v}")).collect();
    let mut out = format!(
        r#" data-case-source="jieyue platform generator, seed {}, stage {}" data-case-axes="{}" data-case-service="{}""#,
        p.seed,
        case.stage,
        axes.join(","),
        attr(&p.keywords().join("|")),
    );
    if let Some(state) = case.state {
        out.push_str(&format!(r#" data-case-state="{state}""#));
    }
    if let Some(confirm) = case.confirm {
        out.push_str(&format!(r#" data-case-confirm="{confirm}""#));
    }
    out
}

/// The frame of every page: a desktop header, side menu and footer, or a phone's title bar
/// and tab bar.
fn chrome(r: R, view: View, title: &str, side: Option<String>, body: &str) -> String {
    let p = r.p;
    let ui = &p.ui;
    match p.carrier {
        Carrier::Web => format!(
            r#"{header}
<div class="{layout}">{side}<main class="{content}">{body}</main></div>
<footer>© 2026 {brand}</footer>"#,
            header = header(r),
            layout = ui.layout,
            side = side.unwrap_or_default(),
            content = ui.content,
            brand = p.words.brand,
        ),
        Carrier::H5 => {
            let back = if view == View::Start || (view == View::Service && p.entry.direct()) {
                String::new()
            } else {
                format!(
                    r#"<a href="{}" style="position:absolute;left:14px;font-size:22px;color:#323233"{}>‹</a>"#,
                    p.start_path(),
                    r.mark("navigate", None)
                )
            };
            format!(
                r#"<div class="{navbar}">{back}<span>{title}</span></div>
<main>{body}</main>
{tabbar}"#,
                navbar = ui.navbar,
                tabbar = tabbar(r),
            )
        }
    }
}

fn link(r: R, class: &str, href: &str, label: &str) -> String {
    format!(
        r#"<a class="{class}" href="{href}"{}>{label}</a>"#,
        r.mark("navigate", None)
    )
}

fn header(r: R) -> String {
    let p = r.p;
    let ui = &p.ui;
    let d = &p.details;
    let base = p.base();
    let item = |href: &str, label: &str| format!("<li>{}</li>", link(r, &ui.nav_item, href, label));
    let mut items = vec![item(&p.start_path(), p.words.lex.tabs[0])];
    match p.entry {
        Entry::Menu(_) => items.push(item(&p.level_path(1), &d.levels[0])),
        Entry::Hover => {
            let drop = [
                link(r, "", &format!("{base}/more/2"), &d.elsewhere[2]),
                link(r, "", &p.service_path(), &d.levels[1]),
                link(r, "", &format!("{base}/more/3"), &d.elsewhere[3]),
            ]
            .concat();
            items.push(format!(
                r#"<li class="{host}"><a class="{item}" href="javascript:;" aria-haspopup="true"{nav}>{trigger} ▾</a><div class="{drop_cls}">{drop}</div></li>"#,
                host = ui.drop_host,
                item = ui.nav_item,
                nav = r.mark("navigate", None),
                trigger = d.levels[0],
                drop_cls = ui.drop,
            ));
        }
        _ => {}
    }
    for (k, label) in d.elsewhere.iter().enumerate().take(2) {
        items.push(item(&format!("{base}/more/{k}"), label));
    }
    format!(
        r#"<header class="{header}"><a class="{brand_cls}" href="{start}">{brand}</a><ul class="{nav}">{items}</ul><span class="who">{user} · <a href="javascript:;">{logout}</a></span></header>"#,
        header = ui.header,
        brand_cls = ui.brand,
        start = p.start_path(),
        brand = p.words.brand,
        nav = ui.nav,
        items = items.concat(),
        user = p.words.user,
        logout = p.words.lex.logout,
    )
}

fn tabbar(r: R) -> String {
    let p = r.p;
    let ui = &p.ui;
    let tabs = p.words.lex.tabs;
    let me = if p.details.tab_is_level1 {
        p.level_path(1)
    } else {
        p.start_path()
    };
    format!(
        r#"<nav class="{bar}">{}{}{}</nav>"#,
        link(r, &ui.tabbar_item, &p.start_path(), tabs[0]),
        link(r, &ui.tabbar_item, &format!("{}/more/1", p.base()), tabs[1]),
        link(r, &ui.tabbar_item, &me, tabs[2]),
        bar = ui.tabbar,
    )
}

fn decoy_button(r: R, decoy: Decoy) -> String {
    let ui = &r.p.ui;
    let class = match decoy {
        Decoy::Refund => &ui.default,
        Decoy::Coupon | Decoy::Annual | Decoy::Offer => &ui.warn,
        _ => &ui.danger,
    };
    format!(
        r#"<button type="button" class="{class}"{}{}>{}</button>"#,
        r.act(&format!("decoy:{}", decoy.id())),
        r.never("decoy"),
        r.p.words.decoy(decoy)
    )
}

fn start(r: R) -> String {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let lex = w.lex;
    let d = &p.details;
    let wanted = &p.services[p.wanted];
    let banner = match p.decoys.first() {
        Some(&decoy) if d.banner => decoy_button(r, decoy),
        _ => String::new(),
    };
    let mut out = format!(
        r#"<div class="{hero}"><div><h1>{brand}</h1><p>{welcome}</p></div>{banner}</div>"#,
        hero = ui.hero,
        brand = w.brand,
        welcome = lex.welcome,
    );
    let way = match p.entry {
        Entry::NewTab => format!(
            r#"<a class="{class}" href="{href}" target="_blank" rel="noopener"{nav}>{label} ↗</a>"#,
            class = ui.default,
            href = p.service_path(),
            nav = r.mark("navigate", None),
            label = d.levels[0],
        ),
        _ => String::new(),
    };
    out.push_str(&format!(
        r#"<div class="{card}"><div class="{head}"><h2>{current}</h2></div><div class="{body}"><div class="{line}"><span class="{key}">{until_label}</span><span>{until}</span></div></div>{foot}</div>"#,
        card = ui.card,
        head = ui.card_head,
        current = fill(lex.current, &[("n", &wanted.name)]),
        body = ui.card_body,
        line = ui.line,
        key = ui.key,
        until_label = lex.valid_until,
        until = date(p.lang, wanted.until),
        foot = if way.is_empty() {
            String::new()
        } else {
            format!(r#"<div class="{}">{way}</div>"#, ui.card_foot)
        },
    ));
    if p.carrier == Carrier::H5 {
        let mut cells = vec![
            cell_link(r, &format!("{}/more/0", p.base()), &d.elsewhere[0]),
            cell_link(r, &format!("{}/more/1", p.base()), &d.elsewhere[1]),
        ];
        if matches!(p.entry, Entry::Menu(_)) && !d.tab_is_level1 {
            cells.insert(
                p.seed as usize % 3,
                cell_link(r, &p.level_path(1), &d.levels[0]),
            );
        }
        out.push_str(&format!(
            r#"<div class="{}">{}</div>"#,
            ui.cells,
            cells.concat()
        ));
    }
    out
}

fn cell_link(r: R, href: &str, label: &str) -> String {
    let ui = &r.p.ui;
    format!(
        r#"<a class="{cell} {link}" href="{href}"{nav}><span class="{title}">{label}</span></a>"#,
        cell = ui.cell,
        link = ui.cell_link,
        nav = r.mark("navigate", None),
        title = ui.cell_title,
    )
}

/// A menu page on the way to the service: the next link among others.
fn level_page(r: R, level: usize) -> (Option<String>, String) {
    let p = r.p;
    let ui = &p.ui;
    let d = &p.details;
    let base = p.base();
    let mut links: Vec<(String, String)> = (0..3)
        .map(|k| {
            let k = (k + level) % d.elsewhere.len();
            (format!("{base}/more/{k}"), d.elsewhere[k].clone())
        })
        .collect();
    let at = (p.seed as usize + level) % (links.len() + 1);
    links.insert(at, (p.level_path(level + 1), d.levels[level].clone()));
    let heading = &d.levels[level - 1];
    if p.carrier == Carrier::H5 {
        let cells: String = links.iter().map(|(h, l)| cell_link(r, h, l)).collect();
        return (None, format!(r#"<div class="{}">{cells}</div>"#, ui.cells));
    }
    let card = format!(
        r#"<div class="{card}"><div class="{body}"><p class="muted">{welcome}</p></div></div>"#,
        card = ui.card,
        body = ui.card_body,
        welcome = p.words.lex.welcome,
    );
    if (p.seed as usize + level).is_multiple_of(2) {
        let side: String = links
            .iter()
            .map(|(h, l)| format!("<li>{}</li>", link(r, &ui.side_item, h, l)))
            .collect();
        (
            Some(format!(r#"<ul class="{}">{side}</ul>"#, ui.side)),
            format!("<h1>{heading}</h1>{card}"),
        )
    } else {
        let tabs: String = links.iter().map(|(h, l)| link(r, "", h, l)).collect();
        (
            None,
            format!(r#"<h1>{heading}</h1><nav class="tabs">{tabs}</nav>{card}"#),
        )
    }
}

fn service_side(r: R) -> String {
    let p = r.p;
    let ui = &p.ui;
    let d = &p.details;
    let here = d.levels.last().cloned().unwrap_or_default();
    let mut items = vec![format!(
        r#"<li>{}</li>"#,
        link(
            r,
            &format!("{} is-active", ui.side_item),
            &p.service_path(),
            &here
        )
    )];
    for k in 0..2 {
        items.push(format!(
            "<li>{}</li>",
            link(
                r,
                &ui.side_item,
                &format!("{}/more/{}", p.base(), k + 2),
                &d.elsewhere[k + 2]
            )
        ));
    }
    format!(r#"<ul class="{}">{}</ul>"#, ui.side, items.concat())
}

/// The service page; when the list renders late, the page holds a placeholder and the list
/// is returned for the script to insert.
fn service_page(r: R, title: &str, live: &Live, o: &Opts) -> (String, Option<(String, String)>) {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let lex = w.lex;
    // On a phone the title bar says it.
    let mut out = match p.carrier {
        Carrier::Web => format!("<h1>{title}</h1>"),
        Carrier::H5 => String::new(),
    };
    if !live.renew[p.wanted] {
        let wanted = &p.services[p.wanted];
        out.push_str(&format!(
            r#"<div class="{alert}" role="status"><b>{success}</b> {detail}</div>"#,
            alert = ui.alert_ok,
            success = w.success(),
            detail = fill(
                lex.success_detail,
                &[("n", &wanted.name), ("d", &date(p.lang, wanted.until))]
            ),
        ));
    }
    out.push_str(&format!(r#"<p class="muted">{}</p>"#, w.t(lex.intro)));
    let list = services(r, live, o);
    let id = format!("list-{}", &p.code("list")[1..5]);
    let late = if !r.labels && p.late_ms > 0 {
        out.push_str(&format!(
            r#"<div id="{id}"><p class="muted">{}</p></div>"#,
            lex.loading
        ));
        Some((id, list))
    } else {
        out.push_str(&format!(r#"<div id="{id}">{list}</div>"#));
        None
    };
    if p.chain.save {
        let click = if o.unsaved { Some("confirm") } else { None };
        out.push_str(&format!(
            r#"<div style="margin-top:14px;text-align:right"><button type="button" class="{primary}"{act}{mark}>{save}</button></div>"#,
            primary = ui.primary,
            act = r.act("save"),
            mark = r.mark("proceed", click),
            save = w.save,
        ));
    }
    (out, late)
}

fn services(r: R, live: &Live, o: &Opts) -> String {
    let p = r.p;
    if p.state == StateForm::Table {
        return table(r, live);
    }
    (0..p.services.len())
        .map(|k| service_block(r, k, live, o))
        .collect()
}

/// What a service's renewal looks like now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Now {
    /// Renewing: the wanted service before the change.
    On,
    /// Not renewing, and can be turned on (a careful person never does).
    Off,
    /// Never renews: nothing to turn.
    Never,
}

fn now(p: &Platform, live: &Live, k: usize) -> Now {
    match (&p.services[k].renewal, live.renew[k]) {
        (_, true) => Now::On,
        (Renewal::Never(_), false) => Now::Never,
        _ => Now::Off,
    }
}

/// The wanted service's cancel entry, or another's "turn on" link.
fn control(r: R, k: usize, now: Now) -> String {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    match now {
        Now::On => {
            let label = if p.state == StateForm::Agreement {
                &w.agreement_cancel
            } else {
                &w.cancel
            };
            let mark = r.mark("cancel_renewal", Some("switch_off"));
            if p.dialog == DialogForm::Pages {
                format!(
                    r#"<a class="{}" href="{}/step/0"{mark}>{label}</a>"#,
                    if p.details.entry_button {
                        &ui.default
                    } else {
                        &ui.link
                    },
                    p.base()
                )
            } else if p.details.entry_button {
                format!(
                    r#"<button type="button" class="{}"{}{mark}>{label}</button>"#,
                    ui.default,
                    r.act("entry")
                )
            } else {
                format!(
                    r#"<a class="{}" href="javascript:;"{}{mark}>{label}</a>"#,
                    ui.link,
                    r.act("entry")
                )
            }
        }
        Now::Off => format!(
            r#"<a class="{}" href="javascript:;"{}{}>{}</a>"#,
            ui.link,
            r.act(&format!("on:{k}")),
            r.never("decoy"),
            w.turn_on
        ),
        Now::Never => String::new(),
    }
}

fn decoys(r: R, k: usize) -> String {
    if k != r.p.wanted {
        return String::new();
    }
    r.p.decoys.iter().map(|&d| decoy_button(r, d)).collect()
}

/// A switch of one service. `shown_on` is what it shows (an unsaved change shows off).
fn switch(r: R, k: usize, now: Now, shown_on: bool) -> String {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let term = &w.term;
    // The wanted switch is the target while it is on; another's (or the wanted one once
    // off) would turn renewal on.
    let (act, mark) = match now {
        Now::On if shown_on => (r.act("entry"), r.mark("cancel_renewal", Some("switch_off"))),
        Now::On => (r.act("entry"), r.never_bare().to_string()),
        _ => (r.act(&format!("on:{k}")), r.never_bare().to_string()),
    };
    let checked = if shown_on { " checked" } else { "" };
    let aria = if shown_on { "true" } else { "false" };
    let id = format!("{}-{k}", &p.code("switch")[1..4]);
    match p.state {
        StateForm::Checkbox => format!(
            r#"<div class="{wrap}"><input class="{input}" type="checkbox"{role} id="sw{id}"{checked}{act}{mark}><label class="{label}" for="sw{id}">{term}</label></div>"#,
            wrap = ui.check_wrap,
            input = ui.check_input,
            role = if ui.check_role {
                r#" role="switch""#
            } else {
                ""
            },
            label = ui.check_label,
        ),
        StateForm::LabelSwitch => format!(
            r#"<label class="{label}"{mark}><input type="checkbox" class="{input}"{checked}{act} aria-label="{aria_label}"><span class="{track}"></span></label>"#,
            label = ui.label_switch,
            input = ui.label_input,
            aria_label = attr(term),
            track = ui.label_box,
        ),
        StateForm::RoleSwitch => {
            let on_class = if shown_on {
                format!(" {}", ui.switch_on)
            } else {
                String::new()
            };
            let (open, close) = if ui.switch_button {
                (r#"button type="button""#, "button")
            } else {
                ("div", "div")
            };
            format!(
                r#"<{open} role="switch" aria-checked="{aria}" tabindex="0" aria-labelledby="lb{id}" class="{switch}{on_class}"{act}{mark}><span class="{knob}"></span></{close}>"#,
                switch = ui.switch,
                knob = ui.switch_node,
            )
        }
        StateForm::AriaPressed => format!(
            r#"<button type="button" class="{toggle}" aria-pressed="{aria}"{act}{mark}>{term}</button>"#,
            toggle = ui.toggle,
        ),
        StateForm::Shadow => {
            let tag = ui.shadow_tag;
            format!(
                r#"<{tag}><template shadowrootmode="open"><style>.sw{{position:relative;display:inline-block;width:46px;height:26px;padding:0;border:0;border-radius:13px;background:#dcdfe6;cursor:pointer;vertical-align:middle}}.sw[aria-checked=true]{{background:{accent}}}.sw i{{position:absolute;top:2px;left:2px;width:22px;height:22px;border-radius:50%;background:#fff;transition:left .2s}}.sw[aria-checked=true] i{{left:22px}}</style><button type="button" class="sw" role="switch" aria-checked="{aria}" aria-label="{label}"{act}{mark}><i></i></button></template></{tag}>"#,
                accent = ui.accent,
                label = attr(term),
            )
        }
        _ => unreachable!("only switch forms have a switch"),
    }
}

/// The state as text: (label, value).
fn state_text(r: R, k: usize, now: Now) -> (Option<String>, String) {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let svc = &p.services[k];
    let when = date(p.lang, svc.until);
    let other = match &svc.renewal {
        Renewal::Off(word) | Renewal::Never(word) if k != p.wanted => word.clone(),
        _ => w.off.clone(),
    };
    let word = if now == Now::On { w.on.clone() } else { other };
    let tag = |on: bool, word: &str| {
        let modifier = if on { &ui.tag_on } else { &ui.tag_off };
        format!(r#"<span class="{} {modifier}">{word}</span>"#, ui.tag)
    };
    match p.state {
        StateForm::Status => (None, format!("<span>{}</span>", w.status(&word))),
        StateForm::Badge => (Some(w.term.clone()), tag(now == Now::On, &word)),
        StateForm::Dl | StateForm::Table => (Some(w.term.clone()), format!("<span>{word}</span>")),
        StateForm::Verb => {
            let template = if now == Now::On {
                &w.verb_on
            } else {
                &w.verb_off
            };
            (
                None,
                format!("<span>{}</span>", fill(template, &[("d", &when)])),
            )
        }
        StateForm::Agreement => {
            let word = match now {
                Now::On => w.agreement_on.clone(),
                Now::Off => w.agreement_off.clone(),
                Now::Never => word,
            };
            (Some(w.agreement.clone()), format!("<span>{word}</span>"))
        }
        _ => unreachable!("switch forms draw a switch"),
    }
}

/// The card of service `k` (a group of cells on h5): its state, actions and end date.
fn service_block(r: R, k: usize, live: &Live, o: &Opts) -> String {
    let p = r.p;
    let svc = &p.services[k];
    let now = now(p, live, k);
    let until = date(p.lang, svc.until);
    let (mut pairs, foot) = if p.state.is_switch() {
        (switch_pairs(r, k, now, o), String::new())
    } else {
        state_pairs(r, k, now)
    };
    pairs.push((Some(p.words.lex.valid_until.to_string()), until));
    let body = pairs_body(r, k, &pairs);
    service_frame(r, k, &body, &foot)
}

/// The key/value pairs of a switch form: the decoys, then the switch under its term.
fn switch_pairs(r: R, k: usize, now: Now, o: &Opts) -> Vec<(Option<String>, String)> {
    let p = r.p;
    let w = &p.words;
    let svc = &p.services[k];
    let mut pairs: Vec<(Option<String>, String)> = Vec::new();
    let decoys = decoys(r, k);
    if !decoys.is_empty() {
        pairs.push((
            None,
            format!(r#"<span style="display:flex;gap:8px">{decoys}</span>"#),
        ));
    }
    let shown_on = now == Now::On && !(k == p.wanted && o.unsaved);
    let value = if now == Now::Never {
        let Renewal::Never(word) = &svc.renewal else {
            unreachable!("only a service that never renews is Never")
        };
        format!(r#"<span class="muted">{word}</span>"#)
    } else {
        switch(r, k, now, shown_on)
    };
    let key = match p.state {
        StateForm::Checkbox | StateForm::AriaPressed => None,
        StateForm::RoleSwitch => Some(format!(
            r#"<span id="lb{}-{k}">{}</span>"#,
            &p.code("switch")[1..4],
            w.term
        )),
        _ => Some(w.term.clone()),
    };
    let key = if now == Now::Never {
        Some(w.term.clone())
    } else {
        key
    };
    pairs.push((key, value));
    pairs
}

/// The key/value pairs of a text form and its card foot: the state with its actions
/// beside it, or in the foot when they go there.
fn state_pairs(r: R, k: usize, now: Now) -> (Vec<(Option<String>, String)>, String) {
    let (key, value) = state_text(r, k, now);
    let actions = format!("{}{}", decoys(r, k), control(r, k, now));
    match r.p.place {
        Place::Foot if !actions.is_empty() => (vec![(key, value)], actions),
        _ => (vec![(key, format!("{value}{actions}"))], String::new()),
    }
}

/// The body of a service's card: a `<dl>`, h5 cells or lines of key and value.
fn pairs_body(r: R, k: usize, pairs: &[(Option<String>, String)]) -> String {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    if p.state == StateForm::Dl {
        let mut dl = format!(
            "<dt>{}</dt><dd>{}</dd>",
            w.lex.plan_label, p.services[k].plan
        );
        for (key, value) in pairs {
            dl.push_str(&format!(
                "<dt>{}</dt><dd>{value}</dd>",
                key.as_deref().unwrap_or("")
            ));
        }
        format!(r#"<dl class="{}">{dl}</dl>"#, ui.dl)
    } else if p.carrier == Carrier::H5 {
        pairs
            .iter()
            .map(|(key, value)| match key {
                Some(key) => format!(
                    r#"<div class="{cell}"><span class="{title}">{key}</span><span class="{val}">{value}</span></div>"#,
                    cell = ui.cell,
                    title = ui.cell_title,
                    val = ui.cell_value,
                ),
                None => format!(r#"<div class="{}">{value}</div>"#, ui.cell),
            })
            .collect()
    } else {
        pairs
            .iter()
            .map(|(key, value)| match key {
                Some(key) => format!(
                    r#"<div class="{line}"><span class="{k}">{key}</span>{value}</div>"#,
                    line = ui.line,
                    k = ui.key,
                ),
                None => format!(r#"<div class="{}">{value}</div>"#, ui.line),
            })
            .collect()
    }
}

/// A service's name and plan around its body and foot: a cell group on h5, else a card.
fn service_frame(r: R, k: usize, body: &str, foot: &str) -> String {
    let p = r.p;
    let ui = &p.ui;
    let svc = &p.services[k];
    if p.carrier == Carrier::H5 && p.state != StateForm::Dl {
        let foot = if foot.is_empty() {
            String::new()
        } else {
            format!(
                r#"<div class="{}" style="justify-content:flex-end;gap:8px">{foot}</div>"#,
                ui.cell
            )
        };
        format!(
            r#"<div class="{cells}"><div class="{cell}"><span class="{title}"><b>{name}</b></span><span class="{val}">{plan}</span></div>{body}{foot}</div>"#,
            cells = ui.cells,
            cell = ui.cell,
            title = ui.cell_title,
            val = ui.cell_value,
            name = svc.name,
            plan = svc.plan,
        )
    } else {
        let foot = if foot.is_empty() {
            String::new()
        } else {
            format!(r#"<div class="{}">{foot}</div>"#, ui.card_foot)
        };
        format!(
            r#"<div class="{card}"><div class="{head}"><h2>{name}</h2><span class="muted">{plan}</span></div><div class="{body_cls}">{body}</div>{foot}</div>"#,
            card = ui.card,
            head = ui.card_head,
            name = svc.name,
            plan = svc.plan,
            body_cls = ui.card_body,
        )
    }
}

fn table(r: R, live: &Live) -> String {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let head: String = w
        .lex
        .columns
        .iter()
        .map(|c| format!("<th>{}</th>", w.t(c)))
        .collect();
    let rows: String = (0..p.services.len())
        .map(|k| {
            let svc = &p.services[k];
            let now = now(p, live, k);
            let (_, state) = state_text(r, k, now);
            format!(
                r#"<tr><td>{name}</td><td>{plan}</td><td>{state}</td><td>{until}</td><td><span style="display:inline-flex;gap:8px;align-items:center">{decoys}{control}</span></td></tr>"#,
                name = svc.name,
                plan = svc.plan,
                until = date(p.lang, svc.until),
                decoys = decoys(r, k),
                control = control(r, k, now),
            )
        })
        .collect();
    format!(
        r#"<div class="{card}"><div class="{body}" style="overflow-x:auto"><table class="{table}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></div>"#,
        card = ui.card,
        body = ui.card_body,
        table = ui.table,
    )
}

/// The parts of one confirmation step.
struct Parts {
    title: String,
    body: String,
    buttons: String,
    close: String,
}

/// The contents of step `i`: buttons for the page's script, or (`form`) a form's submit
/// buttons and links.
fn parts(r: R, i: usize, form: bool, o: &Opts) -> Parts {
    let p = r.p;
    let w = &p.words;
    let screen = p.screens()[i];
    let (stay, close) = stay_buttons(r, screen, form);
    let error = format!(
        r#"<div class="err" role="alert">{}</div>"#,
        o.error.as_deref().map(text).unwrap_or_default()
    );
    let (title, body, proceed) = match screen {
        Screen::Retention => {
            let offer = if p.details.offer {
                format!(r#"<p>{}</p>"#, decoy_button(r, Decoy::Offer))
            } else {
                String::new()
            };
            (
                w.retention_title.clone(),
                format!("<p>{}</p>{offer}", w.retention_body),
                go_button(r, i, form, &w.proceed),
            )
        }
        Screen::Reason => (
            w.reason_prompt.clone(),
            format!("{}{error}", reason_radios(r)),
            go_button(r, i, form, &w.next),
        ),
        Screen::Final { reason } => final_step(r, form, reason, &error),
    };
    let buttons = if p.details.stay_first {
        format!("{stay}{proceed}")
    } else {
        format!("{proceed}{stay}")
    };
    Parts {
        title,
        body,
        buttons,
        close,
    }
}

/// The classes of a step's stay and go buttons: the loud one is the kit's primary.
fn step_classes(p: &Platform) -> (&str, &str) {
    let ui = &p.ui;
    if p.details.stay_loud {
        (&ui.primary, &ui.default)
    } else {
        (&ui.default, &ui.primary)
    }
}

/// A step's stay button and its close (×): links back to the service in a form, else
/// buttons for the page's script.
fn stay_buttons(r: R, screen: Screen, form: bool) -> (String, String) {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let lex = w.lex;
    let svc = p.service_path();
    let (stay_class, _) = step_classes(p);
    let stay_label = match screen {
        Screen::Final { .. } if p.chain.bare_cancel => lex.bare_cancel.to_string(),
        _ => w.stay.clone(),
    };
    if form {
        (
            format!(
                r#"<a class="{stay_class}" href="{svc}"{}>{stay_label}</a>"#,
                r.never("stay")
            ),
            format!(
                r#"<a class="{}" href="{svc}" aria-label="{}"{}>×</a>"#,
                ui.dialog_close,
                lex.close,
                r.never("stay")
            ),
        )
    } else {
        (
            format!(
                r#"<button type="button" class="{stay_class}"{}{}>{stay_label}</button>"#,
                r.act("stay"),
                r.never("stay")
            ),
            format!(
                r#"<button type="button" class="{}" aria-label="{}"{}{}>×</button>"#,
                ui.dialog_close,
                lex.close,
                r.act("stay"),
                r.never("stay")
            ),
        )
    }
}

/// The button of step `i` that goes on to the next step.
fn go_button(r: R, i: usize, form: bool, label: &str) -> String {
    let kind = if form { "submit" } else { "button" };
    let (_, go_class) = step_classes(r.p);
    format!(
        r#"<button type="{kind}" class="{go_class}"{}{}>{label}</button>"#,
        r.act(&format!("next:{i}")),
        r.mark("proceed", Some("confirm"))
    )
}

/// The reasons to leave, as a radio group.
fn reason_radios(r: R) -> String {
    let ui = &r.p.ui;
    let choices: String = r
        .p
        .words
        .lex
        .reasons
        .iter()
        .map(|reason| {
            format!(
                r#"<label class="{radio}"{mark}><input type="radio" name="reason" value="{value}"><span>{reason}</span></label>"#,
                radio = ui.radio,
                mark = r.mark("reason", Some("reason")),
                value = attr(reason),
            )
        })
        .collect();
    format!(r#"<div role="radiogroup">{choices}</div>"#)
}

/// The title, body and final button of the last step: what ends and when, the reasons
/// when asked there, the acknowledgement, and the button (disabled while it counts down
/// or waits for the tick).
fn final_step(r: R, form: bool, reason: bool, error: &str) -> (String, String, String) {
    let p = r.p;
    let ui = &p.ui;
    let w = &p.words;
    let lex = w.lex;
    let wanted = &p.services[p.wanted];
    let kind = if form { "submit" } else { "button" };
    let (_, go_class) = step_classes(p);
    let mut body = format!(
        "<p>{}</p>",
        fill(
            lex.final_body,
            &[("n", &wanted.name), ("d", &date(p.lang, wanted.until))]
        )
    );
    if reason {
        body.push_str(&format!(
            r#"<p class="muted">{}</p>{}"#,
            w.reason_prompt,
            reason_radios(r)
        ));
    }
    if p.chain.ack {
        body.push_str(&format!(
            r#"<label class="{checkbox}"{mark}><input type="checkbox" name="ack" value="1"><span>{ack}</span></label>"#,
            checkbox = ui.checkbox,
            mark = r.mark("acknowledge", Some("tick")),
            ack = w.ack,
        ));
    }
    body.push_str(error);
    let label = if p.chain.bare_cancel {
        &w.bare_ok
    } else {
        &w.final_proceed
    };
    // A static page shows the button as it is once the countdown is over.
    let counting = !r.labels && p.chain.countdown > 0;
    let gated = p.chain.ack && p.details.ack_gates;
    let disabled = if counting || gated { " disabled" } else { "" };
    let countdown = if counting {
        fill(lex.countdown, &[("x", &p.chain.countdown.to_string())])
    } else {
        String::new()
    };
    (
        w.final_title.clone(),
        body,
        format!(
            r#"<button type="{kind}" class="{go_class}"{act}{disabled}{mark}><span>{label}</span><span class="cd">{countdown}</span></button>"#,
            act = r.act("final"),
            mark = r.mark("proceed", Some("confirm")),
        ),
    )
}

/// The steps drawn in the service page: the open one visible, the others hidden.
fn overlays(r: R, o: &Opts) -> String {
    let p = r.p;
    if !p.dialog.in_page() {
        return String::new();
    }
    let ui = &p.ui;
    (0..p.screens().len())
        .map(|i| {
            let open = o.open == Some(i);
            let r = if open { r } else { r.muted() };
            let parts = parts(r, i, false, o);
            let id = screen_id(p, i);
            let hide = if open { "" } else { r#" style="display:none""# };
            match p.dialog {
                DialogForm::Dialog => format!(
                    r#"<dialog id="{id}" class="{dialog}" aria-labelledby="{id}-t"{open_attr}><div class="{head}"><span id="{id}-t" class="{title_cls}">{title}</span>{close}</div><div class="{body_cls}">{body}</div><div class="{foot}">{buttons}</div></dialog>"#,
                    dialog = ui.dialog,
                    open_attr = if open { " open" } else { "" },
                    head = ui.dialog_head,
                    title_cls = ui.dialog_title,
                    title = parts.title,
                    close = parts.close,
                    body_cls = ui.dialog_body,
                    body = parts.body,
                    foot = ui.dialog_foot,
                    buttons = parts.buttons,
                ),
                DialogForm::RoleDialog => format!(
                    r#"<div id="{id}"{hide}><div class="{mask}"></div><div class="{wrap}"><div role="dialog" aria-modal="true" aria-labelledby="{id}-t" class="{dialog}"><div class="{head}"><span id="{id}-t" class="{title_cls}">{title}</span>{close}</div><div class="{body_cls}">{body}</div><div class="{foot}">{buttons}</div></div></div></div>"#,
                    mask = ui.mask,
                    wrap = ui.wrap,
                    dialog = ui.dialog,
                    head = ui.dialog_head,
                    title_cls = ui.dialog_title,
                    title = parts.title,
                    close = parts.close,
                    body_cls = ui.dialog_body,
                    body = parts.body,
                    foot = ui.dialog_foot,
                    buttons = parts.buttons,
                ),
                DialogForm::Roleless => roleless(p, &id, hide, &parts),
                DialogForm::Sheet => format!(
                    r#"<div id="{id}"{hide}><div class="{mask}"></div><div class="{sheet}{open_cls}"><div style="font-size:16px;font-weight:600;text-align:center">{title}</div><div style="margin-top:8px">{body}</div><div class="acts">{buttons}</div></div></div>"#,
                    mask = ui.mask,
                    sheet = ui.sheet,
                    open_cls = if open {
                        format!(" {}", ui.sheet_open)
                    } else {
                        String::new()
                    },
                    title = parts.title,
                    body = parts.body,
                    buttons = parts.buttons,
                ),
                _ => unreachable!("only in-page forms draw overlays"),
            }
        })
        .collect()
}

/// A fixed box over a dimmed backdrop with neither a role nor a class that says dialog.
fn roleless(p: &Platform, id: &str, hide: &str, parts: &Parts) -> String {
    let ui = &p.ui;
    format!(
        r#"<div id="{id}" class="{shade}"{hide}><div class="{panel}"><div style="font-size:16px;font-weight:600;margin-bottom:8px">{title}</div>{body}<div class="acts">{buttons}</div></div></div>"#,
        shade = ui.plain_shade,
        panel = ui.plain_box,
        title = parts.title,
        body = parts.body,
        buttons = parts.buttons,
    )
}

/// One step of the confirmation as a page of its own, its buttons a form's.
fn step_page(r: R, i: usize, o: &Opts) -> String {
    let p = r.p;
    let ui = &p.ui;
    let screens = p.screens();
    let parts = parts(r, i, true, o);
    let has_radios = matches!(screens[i], Screen::Reason | Screen::Final { reason: true });
    let carried = match &o.reason {
        Some(reason) if !has_radios => format!(
            r#"<input type="hidden" name="reason" value="{}">"#,
            attr(reason)
        ),
        _ => String::new(),
    };
    let form = if i + 1 == screens.len() {
        format!(
            r#"<form method="post" action="{base}/api/renew/{k}"><input type="hidden" name="on" value="0"><input type="hidden" name="via" value="page">{carried}{body}<div style="display:flex;gap:10px;justify-content:flex-end;margin-top:12px">{buttons}</div></form>"#,
            base = p.base(),
            k = p.wanted,
            body = parts.body,
            buttons = parts.buttons,
        )
    } else {
        format!(
            r#"<form method="get" action="{base}/step/{next}">{carried}{body}<div style="display:flex;gap:10px;justify-content:flex-end;margin-top:12px">{buttons}</div></form>"#,
            base = p.base(),
            next = i + 1,
            body = parts.body,
            buttons = parts.buttons,
        )
    };
    format!(
        r#"<div class="{card}"><div class="{head}"><h2>{title}</h2></div><div class="{body}">{form}</div></div>"#,
        card = ui.card,
        head = ui.card_head,
        title = parts.title,
        body = ui.card_body,
    )
}

/// The document inside the iframe that holds step `i`.
fn frame_document(r: R, i: usize, o: &Opts) -> String {
    let p = r.p;
    let ui = &p.ui;
    let parts = parts(r, i, false, o);
    let boxed = if p.details.frame_role {
        format!(
            r#"<div class="{mask}"></div><div class="{wrap}"><div role="dialog" aria-modal="true" class="{dialog}"><div class="{head}"><span class="{title_cls}">{title}</span>{close}</div><div class="{body_cls}">{body}</div><div class="{foot}">{buttons}</div></div></div>"#,
            mask = ui.mask,
            wrap = ui.wrap,
            dialog = ui.dialog,
            head = ui.dialog_head,
            title_cls = ui.dialog_title,
            title = parts.title,
            close = parts.close,
            body_cls = ui.dialog_body,
            body = parts.body,
            foot = ui.dialog_foot,
            buttons = parts.buttons,
        )
    } else {
        roleless(p, &screen_id(p, i), "", &parts)
    };
    let script = if r.labels {
        String::new()
    } else {
        script::page(p, View::Frame(i), None)
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"{case}>
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{css}body{{background:transparent}}</style>
</head>
<body>
{boxed}
{script}
</body>
</html>
"#,
        lang = p.words.lex.html_lang,
        case = case_attrs(p, o),
        title = parts.title,
        css = ui.css(p.carrier == Carrier::H5),
    )
}

fn order_page(r: R, decoy: Decoy) -> (String, String) {
    let p = r.p;
    let ui = &p.ui;
    let lex = p.words.lex;
    let label = p.words.decoy(decoy);
    let (title, body, pay) = if decoy == Decoy::Refund {
        (lex.refund_title, lex.refund_body.to_string(), String::new())
    } else {
        (
            lex.order_title,
            fill(lex.order_body, &[("x", &label)]),
            format!(
                r#"<button type="button" class="{}"{}{}>{}</button>"#,
                ui.danger,
                r.act(&format!("decoy:{}", decoy.id())),
                r.never("decoy"),
                lex.pay
            ),
        )
    };
    let body = format!(
        r#"<div class="{card}"><div class="{head}"><h2>{title}</h2></div><div class="{body_cls}"><p>{body}</p></div><div class="{foot}">{pay}{back}</div></div>"#,
        card = ui.card,
        head = ui.card_head,
        body_cls = ui.card_body,
        foot = ui.card_foot,
        back = link(r, &ui.default, &p.service_path(), lex.back),
    );
    (title.to_string(), body)
}
