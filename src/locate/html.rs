//! The same candidates as `snapshot.js`, built from saved HTML with `scraper`: for tests on
//! fixtures and for `jieyue locate --html FILE`. Without a browser there is no layout, so
//! visibility and position come from the `hidden`, `inert` and `aria-hidden` attributes, the
//! page's own `<style>` rules and inline styles (a small cascade: selector specificity, then
//! source order), and the hidden classes of the common UI kits; boxes are zero and `on_top`
//! is unknown. Open shadow roots written as `<template shadowrootmode>` are read; frames are
//! not followed.

use std::collections::{BTreeMap, HashMap};

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::snapshot::{Block, Candidate, DialogContext, Snapshot};

const MAX_TEXT: usize = 200;
const CLICK_ROLES: &[&str] = &[
    "button",
    "link",
    "switch",
    "checkbox",
    "radio",
    "tab",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "combobox",
];
/// Class names the UI kits give their dialogs, sheets and pop-ups.
const DIALOG_CLASSES: &[&str] = &[
    "modal",
    "dialog",
    "popup",
    "sheet",
    "actionsheet",
    "van-dialog",
    "van-popup",
    "van-action-sheet",
    "el-dialog",
    "el-message-box",
    "ant-modal",
    "weui-dialog",
    "weui-half-screen-dialog",
    "weui-actionsheet",
    "layui-layer",
];
/// Class names that hide an element in the UI kits' own style sheets (Bootstrap, Element,
/// Ant Design, Vant, WeUI, layui, Angular), which a saved page does not carry.
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "hide",
    "d-none",
    "is-hidden",
    "invisible",
    "ng-hide",
    "layui-hide",
    "van-hidden",
    "weui-hidden",
    "el-hidden",
    "ant-hidden",
    "ant-modal-hidden",
    "visually-hidden",
    "sr-only",
];
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "meta", "html", "body", "link",
];

/// Builds the snapshot of a saved page. `selectors` are resolved as the browser would
/// (`None` for one that does not parse).
pub fn snapshot_from_html(html: &str, url: &str, selectors: &[String]) -> Snapshot {
    let doc = Html::parse_document(html);
    let page = Page::new(&doc);
    let mut walker = Walker {
        page: &page,
        candidates: Vec::new(),
        seen: HashMap::new(),
        blocks: Vec::new(),
        block_of: HashMap::new(),
    };
    for node in doc.root_element().descendants() {
        if let Some(el) = ElementRef::wrap(node) {
            walker.consider(el, false);
        }
    }
    let mut css = BTreeMap::new();
    for sel in selectors {
        let Ok(parsed) = Selector::parse(sel) else {
            css.insert(sel.clone(), None);
            continue;
        };
        let hits = doc
            .select(&parsed)
            .filter_map(|el| walker.consider(el, true))
            .collect();
        css.insert(sel.clone(), Some(hits));
    }
    let dialogs = page
        .open_dialogs
        .iter()
        .filter_map(|id| doc.tree.get(*id).and_then(ElementRef::wrap))
        .map(|el| clip(&page.inner_text(el)))
        .collect();
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| norm(&t.text().collect::<String>()))
        .unwrap_or_default();
    let text = page.inner_text(doc.root_element());
    Snapshot {
        url: url.to_string(),
        title,
        text,
        candidates: walker.candidates,
        css,
        dialogs,
        blocks: walker.blocks,
        quiet_ms: None,
    }
}

/// What the page's style rules and structure say about each element, computed once.
struct Page<'a> {
    ids: HashMap<String, usize>,
    /// Declarations from `<style>` rules and `style=""`, by element, cascade applied.
    styles: HashMap<NodeId, HashMap<String, String>>,
    /// Open dialogs: by role or element, by class, or by behaviour (a fixed layer over a
    /// dimmed page).
    open_dialogs: Vec<NodeId>,
    /// A modal one is open: everything outside the open dialogs is behind it.
    modal_open: bool,
    doc: &'a Html,
}

impl<'a> Page<'a> {
    fn new(doc: &'a Html) -> Self {
        let mut page = Page {
            ids: id_counts(doc),
            styles: cascade(doc),
            open_dialogs: Vec::new(),
            modal_open: false,
            doc,
        };
        let elements: Vec<ElementRef> = doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .collect();
        let backdrop = elements
            .iter()
            .any(|e| page.is_backdrop(e) && page.hidden_reason(e).is_none());
        let mut open = Vec::new();
        for el in &elements {
            if page.hidden_reason(el).is_some() {
                continue;
            }
            let declared = is_declared_dialog(el);
            let layer = page.is_layer(el, backdrop);
            if !(declared || layer) {
                continue;
            }
            // The outermost: a backdrop that holds its panel is one dialog.
            if el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| open.contains(&a.id()))
            {
                continue;
            }
            open.push(el.id());
        }
        page.modal_open = open.iter().any(|id| {
            let el = doc.tree.get(*id).and_then(ElementRef::wrap).unwrap();
            let v = el.value();
            v.name() == "dialog"
                || v.attr("aria-modal") == Some("true")
                || matches!(v.attr("role"), Some("dialog" | "alertdialog"))
                || has_class(&el, DIALOG_CLASSES)
                || page.is_layer(&el, backdrop)
        });
        page.open_dialogs = open;
        page
    }

    fn style(&self, el: &ElementRef, prop: &str) -> Option<&str> {
        self.styles
            .get(&el.id())
            .and_then(|s| s.get(prop))
            .map(String::as_str)
    }

    /// Why the element cannot be seen, from what the page says about it and its ancestors.
    fn hidden_reason(&self, el: &ElementRef) -> Option<&'static str> {
        std::iter::once(*el)
            .chain(el.ancestors().filter_map(ElementRef::wrap))
            .find_map(|e| self.own_hidden(&e))
    }

    fn own_hidden(&self, e: &ElementRef) -> Option<&'static str> {
        let v = e.value();
        if v.attr("hidden").is_some() {
            return Some("hidden attribute");
        }
        if v.attr("inert").is_some() {
            return Some("inert");
        }
        if v.attr("aria-hidden") == Some("true") {
            return Some("aria-hidden");
        }
        if v.name() == "dialog" && v.attr("open").is_none() {
            return Some("display: none");
        }
        if v.name() == "template" && v.attr("shadowrootmode").is_none() {
            return Some("template");
        }
        if self.style(e, "display") == Some("none") {
            return Some("display: none");
        }
        if matches!(self.style(e, "visibility"), Some("hidden" | "collapse")) {
            return Some("visibility: hidden");
        }
        if self
            .style(e, "opacity")
            .and_then(|o| o.parse::<f64>().ok())
            .is_some_and(|o| o == 0.0)
        {
            return Some("opacity: 0");
        }
        if has_class(e, HIDDEN_CLASSES) {
            return Some("a hiding class");
        }
        // Bootstrap: a modal (`.modal > .modal-dialog`), a collapse or a fade is shown only
        // with `show` (`in` before v4).
        let shown = has_class(e, &["show", "in"]);
        let bootstrap_modal = has_class(e, &["modal"])
            && e.children()
                .filter_map(ElementRef::wrap)
                .any(|c| has_class(&c, &["modal-dialog"]));
        if !shown && (bootstrap_modal || has_class(e, &["collapse", "fade"])) {
            return Some("a closed modal");
        }
        None
    }

    /// A layer that dims the whole page: fixed, covering, half transparent.
    fn is_backdrop(&self, el: &ElementRef) -> bool {
        self.style(el, "position") == Some("fixed") && dims(self.style(el, "background-color"))
            || self.style(el, "position") == Some("fixed") && dims(self.style(el, "background"))
            || has_class(
                el,
                &[
                    "modal-backdrop",
                    "mask",
                    "overlay",
                    "backdrop",
                    "van-overlay",
                    "weui-mask",
                    "el-overlay",
                    "v-modal",
                    "ant-modal-mask",
                    "layui-layer-shade",
                ],
            )
    }

    /// A fixed layer with controls that behaves as a dialog: it dims the page itself, sits
    /// over a dimming backdrop, or is centred over the page.
    fn is_layer(&self, el: &ElementRef, backdrop: bool) -> bool {
        if self.style(el, "position") != Some("fixed") || !has_controls(el) {
            return false;
        }
        let centred = self.style(el, "top") == Some("50%")
            || self
                .style(el, "transform")
                .is_some_and(|t| t.contains("-50%"));
        backdrop || centred || self.is_backdrop(el)
    }

    fn in_open_dialog(&self, el: &ElementRef) -> Option<ElementRef<'a>> {
        std::iter::once(*el)
            .chain(el.ancestors().filter_map(ElementRef::wrap))
            .find(|a| self.open_dialogs.contains(&a.id()))
            .and_then(|a| self.doc.tree.get(a.id()).and_then(ElementRef::wrap))
    }

    fn is_interactive(&self, el: &ElementRef) -> bool {
        let v = el.value();
        let tag = v.name();
        let pointer = |e: &ElementRef| self.style(e, "cursor") == Some("pointer");
        match tag {
            "a" => {
                return v.attr("href").is_some()
                    || v.attr("onclick").is_some()
                    || v.attr("role").is_some_and(|r| CLICK_ROLES.contains(&r))
                    || pointer(el)
            }
            "button" | "input" | "select" | "textarea" | "summary" | "label" | "option" => {
                return true
            }
            _ => {}
        }
        if v.attr("role").is_some_and(|r| CLICK_ROLES.contains(&r)) {
            return true;
        }
        let focusable = v
            .attr("tabindex")
            .and_then(|t| t.trim().parse::<i32>().ok())
            .is_some_and(|t| t >= 0);
        if v.attr("onclick").is_some() || focusable || v.attr("contenteditable").is_some() {
            return true;
        }
        if pointer(el) {
            return !el
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| pointer(&p));
        }
        false
    }

    /// What a person would read: the text without scripts, styles and hidden parts, with
    /// block boundaries as spaces.
    fn inner_text(&self, el: ElementRef) -> String {
        let mut out = String::new();
        self.collect_text(el, &mut out);
        norm(&out)
    }

    fn collect_text(&self, el: ElementRef, out: &mut String) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if matches!(e.name(), "script" | "style" | "noscript" | "head" | "title") {
                        continue;
                    }
                    let Some(child_el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if self.own_hidden(&child_el).is_some() {
                        continue;
                    }
                    out.push(' ');
                    self.collect_text(child_el, out);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
}

/// A table row read with its column headers: "Auto Rebill Enabled Next Billing Jan 5".
fn row_pairs(tr: ElementRef, page: &Page) -> Option<String> {
    let table = tr
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")?;
    let rows = Selector::parse("tr").ok()?;
    let head = table.select(&rows).next()?;
    if head.id() == tr.id()
        || !head
            .children()
            .filter_map(ElementRef::wrap)
            .any(|c| c.value().name() == "th")
    {
        return None;
    }
    let names: Vec<String> = head
        .children()
        .filter_map(ElementRef::wrap)
        .map(|c| page.inner_text(c))
        .collect();
    Some(
        tr.children()
            .filter_map(ElementRef::wrap)
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{} {}",
                    names.get(i).map(String::as_str).unwrap_or(""),
                    page.inner_text(c)
                )
                .trim()
                .to_string()
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn dims(background: Option<&str>) -> bool {
    let Some(b) = background else { return false };
    let Some(start) = b.find("rgba(").or_else(|| b.find("hsla(")) else {
        return false;
    };
    let inner = &b[start + 5..];
    let inner = &inner[..inner.find(')').unwrap_or(inner.len())];
    inner
        .split([',', '/', ' '])
        .filter(|p| !p.is_empty())
        .nth(3)
        .and_then(|a| a.trim().parse::<f64>().ok())
        .is_some_and(|a| a > 0.05 && a < 0.95)
}

fn has_controls(el: &ElementRef) -> bool {
    el.descendants().filter_map(ElementRef::wrap).any(|e| {
        let v = e.value();
        matches!(
            v.name(),
            "button" | "input" | "select" | "textarea" | "label"
        ) || (v.name() == "a" && v.attr("href").is_some())
            || v.attr("onclick").is_some()
            || v.attr("role").is_some_and(|r| CLICK_ROLES.contains(&r))
    })
}

fn is_declared_dialog(el: &ElementRef) -> bool {
    let v = el.value();
    (v.name() == "dialog" && v.attr("open").is_some())
        || matches!(v.attr("role"), Some("dialog" | "alertdialog"))
        || v.attr("aria-modal") == Some("true")
        || has_class(el, DIALOG_CLASSES)
}

/// A declaration that won so far: (specificity, source order, value).
type Winning = ((u32, u32, u32), usize, String);

/// The page's `<style>` rules and inline styles, applied in cascade order: specificity, then
/// source order; inline wins. Only the properties the engine reads are kept.
fn cascade(doc: &Html) -> HashMap<NodeId, HashMap<String, String>> {
    const PROPS: &[&str] = &[
        "display",
        "visibility",
        "opacity",
        "position",
        "background",
        "background-color",
        "cursor",
        "top",
        "transform",
    ];
    let mut won: HashMap<NodeId, HashMap<String, Winning>> = HashMap::new();
    let style_sel = Selector::parse("style").expect("a valid selector");
    let mut order = 0usize;
    for style in doc.select(&style_sel) {
        let css: String = style.text().collect();
        for (selectors, decls) in rules(&css) {
            let decls: Vec<(String, String)> = declarations(&decls)
                .into_iter()
                .filter(|(k, _)| PROPS.contains(&k.as_str()))
                .collect();
            if decls.is_empty() {
                continue;
            }
            for one in selectors.split(',') {
                let one = one.trim();
                let Ok(sel) = Selector::parse(one) else {
                    continue;
                };
                order += 1;
                let spec = specificity(one);
                for el in doc.select(&sel) {
                    let entry = won.entry(el.id()).or_default();
                    for (k, v) in &decls {
                        let better = entry
                            .get(k)
                            .is_none_or(|(s, o, _)| (spec, order) >= (*s, *o));
                        if better {
                            entry.insert(k.clone(), (spec, order, v.clone()));
                        }
                    }
                }
            }
        }
    }
    let mut out: HashMap<NodeId, HashMap<String, String>> = won
        .into_iter()
        .map(|(id, m)| (id, m.into_iter().map(|(k, (_, _, v))| (k, v)).collect()))
        .collect();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if let Some(inline) = el.value().attr("style") {
            let entry = out.entry(el.id()).or_default();
            for (k, v) in declarations(inline) {
                entry.insert(k, v);
            }
        }
    }
    out
}

/// `selector { declarations }` pairs of a style sheet, outside at-rules' own blocks (the
/// rules inside `@media` count; `@keyframes` and the like do not).
fn rules(css: &str) -> Vec<(String, String)> {
    let mut css = css.to_string();
    while let Some(start) = css.find("/*") {
        let end = css[start..]
            .find("*/")
            .map(|e| start + e + 2)
            .unwrap_or(css.len());
        css.replace_range(start..end, " ");
    }
    let mut out = Vec::new();
    let mut rest = css.as_str();
    while let Some(open) = rest.find('{') {
        let head = rest[..open].trim();
        let body_start = open + 1;
        if head.starts_with("@media") || head.starts_with("@supports") {
            rest = &rest[body_start..];
            continue;
        }
        let Some(close) = rest[body_start..].find('}') else {
            break;
        };
        let body = &rest[body_start..body_start + close];
        if !head.starts_with('@') && !body.contains('{') {
            out.push((
                head.trim_start_matches('}').trim().to_string(),
                body.to_string(),
            ));
        }
        rest = &rest[body_start + close + 1..];
    }
    out
}

fn declarations(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .filter_map(|decl| {
            let (k, v) = decl.split_once(':')?;
            let v = v.trim().to_ascii_lowercase().replace("!important", "");
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

/// (ids, classes + attributes + pseudo-classes, elements), near enough for a cascade.
fn specificity(selector: &str) -> (u32, u32, u32) {
    let mut a = 0;
    let mut b = 0;
    let mut c = 0;
    let mut prev_ident = false;
    let mut chars = selector.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '#' => {
                a += 1;
                prev_ident = true;
            }
            '.' | '[' => {
                b += 1;
                prev_ident = true;
            }
            ':' => {
                if chars.peek() == Some(&':') {
                    chars.next();
                    c += 1;
                } else {
                    b += 1;
                }
                prev_ident = true;
            }
            ch if ch.is_ascii_alphabetic() && !prev_ident => {
                c += 1;
                prev_ident = true;
            }
            ch if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' => {}
            ']' => prev_ident = true,
            _ => prev_ident = false,
        }
    }
    (a, b, c)
}

struct Walker<'a, 'd> {
    page: &'a Page<'d>,
    candidates: Vec<Candidate>,
    seen: HashMap<NodeId, usize>,
    blocks: Vec<Block>,
    block_of: HashMap<NodeId, usize>,
}

impl Walker<'_, '_> {
    /// The block of an element, its ancestors' first.
    fn block(&mut self, el: Option<ElementRef>) -> Option<usize> {
        let el = el?;
        if el.value().name() == "html" {
            return None;
        }
        if let Some(b) = self.block_of.get(&el.id()) {
            return Some(*b);
        }
        let parent = self.block(parent_element(&el));
        let text = self.page.inner_text(el);
        let big = text.chars().count() > 4000;
        let block = Block {
            parent,
            tag: el.value().name().to_string(),
            text: if big {
                String::new()
            } else {
                text.chars().take(400).collect()
            },
            big,
            dialog: self.page.open_dialogs.contains(&el.id()),
            peers: {
                // Items of a list share their tag and classes.
                let class = el.value().attr("class").unwrap_or("");
                let tag = el.value().name();
                el.parent()
                    .map(|p| {
                        p.children()
                            .filter_map(ElementRef::wrap)
                            .filter(|s| {
                                s.value().name() == tag
                                    && s.value().attr("class").unwrap_or("") == class
                            })
                            .count() as u32
                    })
                    .unwrap_or(1)
            },
        };
        let block = if block.tag == "tr" && !block.big {
            match row_pairs(el, self.page) {
                Some(t) => Block {
                    text: t.chars().take(400).collect(),
                    ..block
                },
                None => block,
            }
        } else {
            block
        };
        let idx = self.blocks.len();
        self.blocks.push(block);
        self.block_of.insert(el.id(), idx);
        Some(idx)
    }

    fn consider(&mut self, el: ElementRef, forced: bool) -> Option<usize> {
        if let Some(idx) = self.seen.get(&el.id()) {
            return Some(*idx);
        }
        let page = self.page;
        let v = el.value();
        let tag = v.name().to_ascii_lowercase();
        if SKIPPED.contains(&tag.as_str()) {
            return None;
        }
        let interactive = page.is_interactive(&el);
        let own = own_text(&el);
        if !interactive && own.is_empty() && !forced {
            return None;
        }
        let input_type = v.attr("type").unwrap_or("").to_ascii_lowercase();
        let editable = is_editable(&el, &tag, &input_type);
        let text = if interactive {
            control_text(&el, &tag, &input_type, page)
        } else {
            clip(&own)
        };
        let (switch_like, checked, for_input) = switch_state(&el, page);
        let dialog = page.in_open_dialog(&el);
        let mut hidden = page.hidden_reason(&el);
        if hidden.is_none() && page.modal_open && dialog.is_none() {
            hidden = Some("behind an open dialog");
        }
        let idx = self.candidates.len();
        let class = v.attr("class").unwrap_or("").chars().take(120).collect();
        let block = self.block(parent_element(&el));
        let candidate = Candidate {
            idx,
            tag,
            role: v.attr("role").unwrap_or("").to_string(),
            input_type,
            text,
            label: if editable
                || switch_like
                || (v.name() == "input" && v.attr("type") == Some("radio"))
            {
                label_of(&el, switch_like, page)
            } else {
                String::new()
            },
            placeholder: v.attr("placeholder").unwrap_or("").to_string(),
            aria: clip(v.attr("aria-label").unwrap_or("")),
            title: clip(v.attr("title").unwrap_or("")),
            id: v.attr("id").unwrap_or("").to_string(),
            class,
            href: v.attr("href").unwrap_or("").chars().take(200).collect(),
            name: v.attr("name").unwrap_or("").to_string(),
            css: css_path(&el, &page.ids),
            frame: Vec::new(),
            shadow: Vec::new(),
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0,
            visible: hidden.is_none(),
            hidden_reason: hidden.map(str::to_string),
            enabled: v.attr("disabled").is_none() && v.attr("aria-disabled") != Some("true"),
            interactive,
            editable,
            switch_like,
            checked,
            on_top: None,
            dialog: dialog.map(|d| dialog_context(d, page)).or_else(|| {
                // A declared dialog that is closed: its context still judges its words.
                declared_dialog(&el).map(|d| dialog_context(d, page))
            }),
            section: section_of(&el, page),
            row: row_of(&el, page),
            for_input,
            container: interactive && is_container(&el),
            block,
        };
        self.seen.insert(el.id(), idx);
        self.candidates.push(candidate);
        Some(idx)
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip(s: &str) -> String {
    norm(s).chars().take(MAX_TEXT).collect()
}

fn own_text(el: &ElementRef) -> String {
    let mut t = String::new();
    for child in el.children() {
        if let Node::Text(text) = child.value() {
            t.push_str(text);
        }
    }
    norm(&t)
}

fn has_class(el: &ElementRef, wanted: &[&str]) -> bool {
    el.value().classes().any(|c| wanted.contains(&c))
}

fn switch_class(el: &ElementRef) -> bool {
    el.value().classes().any(|c| {
        c.split(['-', '_'])
            .any(|part| part.eq_ignore_ascii_case("switch") || part.eq_ignore_ascii_case("toggle"))
    })
}

fn switch_state(el: &ElementRef, page: &Page) -> (bool, Option<bool>, String) {
    let v = el.value();
    let role = v.attr("role").unwrap_or("");
    let is_box = v.name() == "input" && v.attr("type") == Some("checkbox");
    let class_switch = switch_class(el);
    let is_switch = role == "switch" || role == "checkbox" || is_box || class_switch;
    if v.name() != "input" && (is_switch || v.name() == "label") {
        // A styled switch that wraps or labels a real checkbox: the checkbox says the state.
        let wrapped = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "input" && e.value().attr("type") == Some("checkbox"));
        let labelled = (v.name() == "label")
            .then(|| v.attr("for"))
            .flatten()
            .and_then(|id| {
                page.doc
                    .root_element()
                    .descendants()
                    .filter_map(ElementRef::wrap)
                    .find(|e| e.value().attr("id") == Some(id))
            })
            .filter(|e| e.value().name() == "input" && e.value().attr("type") == Some("checkbox"));
        // layui and the like draw the switch as the next sibling of the (hidden) checkbox.
        let sibling = is_switch
            .then(|| el.prev_siblings().find_map(ElementRef::wrap))
            .flatten()
            .filter(|e| e.value().name() == "input" && e.value().attr("type") == Some("checkbox"));
        if let Some(input) = wrapped.or(labelled).or(sibling) {
            if is_switch || switch_class(&input) || input.value().attr("role") == Some("switch") {
                return (
                    true,
                    Some(input.value().attr("checked").is_some()),
                    css_path(&input, &page.ids),
                );
            }
        }
    }
    let checked = if v.name() == "input" && matches!(v.attr("type"), Some("checkbox" | "radio")) {
        Some(v.attr("checked").is_some())
    } else if let Some(a) = v.attr("aria-checked") {
        Some(a == "true")
    } else if let Some(a) = v.attr("aria-pressed") {
        Some(a == "true")
    } else if is_switch {
        // The classes say on (is-checked, van-switch--on); a switch that writes its state
        // (开启 / 关闭, ON / OFF) says it in words.
        let words = page.inner_text(*el).to_lowercase();
        let by_class = v.classes().any(|c| {
            c.split(['-', '_']).any(|part| {
                matches!(
                    part.to_ascii_lowercase().as_str(),
                    "on" | "active" | "checked" | "open" | "enabled" | "onswitch" | "switchon"
                )
            })
        });
        Some(match words.as_str() {
            "开启" | "开" | "on" | "已开启" => true,
            "关闭" | "关" | "off" | "已关闭" => false,
            _ => by_class,
        })
    } else {
        None
    };
    (is_switch, checked, String::new())
}

fn label_of(el: &ElementRef, switch_like: bool, page: &Page) -> String {
    let mut parts = Vec::new();
    let root = root_of(el);
    if let Some(id) = el.value().attr("id") {
        for l in root.descendants().filter_map(ElementRef::wrap) {
            if l.value().name() == "label" && l.value().attr("for") == Some(id) {
                parts.push(page.inner_text(l));
            }
        }
    }
    if let Some(wrapping) = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
    {
        parts.push(page.inner_text(wrapping));
    }
    if let Some(by) = el.value().attr("aria-labelledby") {
        for id in by.split_whitespace() {
            if let Some(l) = root
                .descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().attr("id") == Some(id))
            {
                parts.push(page.inner_text(l));
            }
        }
    }
    if switch_like && parts.iter().all(|p| p.is_empty()) && page.inner_text(*el).is_empty() {
        // An image checkbox or a bare switch: the words beside it in its row.
        if let Some(parent) = parent_element(el) {
            let t = page.inner_text(parent);
            if t.chars().count() <= 60 {
                parts.push(t);
            }
        }
    }
    clip(&parts.join(" "))
}

fn root_of<'a>(el: &ElementRef<'a>) -> ElementRef<'a> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .last()
        .unwrap_or(*el)
}

fn dialog_context(d: ElementRef, page: &Page) -> DialogContext {
    let mut title = String::new();
    if let Some(by) = d.value().attr("aria-labelledby") {
        if let Some(t) = root_of(&d)
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().attr("id") == Some(by))
        {
            title = page.inner_text(t);
        }
    }
    if title.is_empty() {
        if let Some(h) = d.descendants().filter_map(ElementRef::wrap).find(|e| {
            matches!(e.value().name(), "h1" | "h2" | "h3" | "h4")
                || e.value().classes().any(|c| c.contains("title"))
        }) {
            title = page.inner_text(h);
        }
    }
    DialogContext {
        title: clip(&title),
        text: clip(&page.inner_text(d)),
    }
}

fn section_of(el: &ElementRef, page: &Page) -> String {
    for node in el.ancestors().filter_map(ElementRef::wrap).take(8) {
        // The first heading inside it that is not the element itself (a card's header holds
        // its title one level down).
        let heading = node.descendants().filter_map(ElementRef::wrap).find(|h| {
            (matches!(h.value().name(), "h1" | "h2" | "h3" | "h4") || has_class(h, &["title"]))
                && page.own_hidden(h).is_none()
        });
        if let Some(h) = heading {
            if !h.descendants().any(|d| d.id() == el.id()) {
                return clip(&page.inner_text(h));
            }
        }
    }
    String::new()
}

fn row_of(el: &ElementRef, page: &Page) -> String {
    let own = page.inner_text(*el);
    for node in el.ancestors().filter_map(ElementRef::wrap).take(5) {
        let t = page.inner_text(node);
        if t.chars().count() > own.chars().count() + 1 {
            return t.chars().take(300).collect();
        }
    }
    String::new()
}

fn id_counts(doc: &Html) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if let Some(id) = el.value().attr("id") {
            *ids.entry(id.to_string()).or_insert(0) += 1;
        }
    }
    ids
}

/// A unique selector, as `snapshot.js` writes it: an id when unique, else `nth-of-type` steps.
fn css_path(el: &ElementRef, ids: &HashMap<String, usize>) -> String {
    let unique_id = |e: &ElementRef| {
        e.value()
            .attr("id")
            .filter(|id| !id.is_empty() && ids.get(*id) == Some(&1) && is_plain_ident(id))
            .map(|id| format!("#{id}"))
    };
    let mut parts = Vec::new();
    let mut node = Some(*el);
    while let Some(e) = node {
        if let Some(id) = unique_id(&e) {
            parts.push(id);
            break;
        }
        let tag = e.value().name();
        let parent = parent_element(&e);
        let Some(p) = parent else {
            parts.push(tag.to_string());
            break;
        };
        let n = e
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|s| s.value().name() == tag)
            .count()
            + 1;
        parts.push(format!("{tag}:nth-of-type({n})"));
        node = Some(p);
    }
    parts.reverse();
    parts.join(" > ")
}

/// The parent element, through a `<template>`'s content (a declared shadow root) to the
/// template itself.
fn parent_element<'a>(el: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.ancestors().find_map(ElementRef::wrap)
}

fn is_plain_ident(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii())
}

/// A field a person types into: a text-like input, a textarea, or contenteditable.
fn is_editable(el: &ElementRef, tag: &str, input_type: &str) -> bool {
    let v = el.value();
    (tag == "input"
        && !matches!(
            input_type,
            "button"
                | "submit"
                | "reset"
                | "checkbox"
                | "radio"
                | "hidden"
                | "image"
                | "file"
                | "range"
                | "color"
        ))
        || tag == "textarea"
        || v.attr("contenteditable")
            .is_some_and(|c| c.is_empty() || c == "true")
}

/// What a control says: a button input's value, else its text, else an image's alt.
fn control_text(el: &ElementRef, tag: &str, input_type: &str, page: &Page) -> String {
    let button_value = if tag == "input" && matches!(input_type, "button" | "submit" | "reset") {
        el.value().attr("value").unwrap_or("").to_string()
    } else {
        String::new()
    };
    let inner = page.inner_text(*el);
    let alt = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .find_map(|e| e.value().attr("alt").map(str::to_string))
        .unwrap_or_default();
    clip(
        [button_value, inner, alt]
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .as_deref()
            .unwrap_or(""),
    )
}

/// A clickable element that holds controls of its own (a card with buttons in it): never a
/// click target itself.
fn is_container(el: &ElementRef) -> bool {
    !matches!(
        el.value().name(),
        "a" | "button" | "input" | "select" | "textarea" | "label" | "summary" | "option"
    ) && el
        .descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|d| {
            let dv = d.value();
            matches!(dv.name(), "button" | "input" | "select" | "textarea")
                || (dv.name() == "a" && dv.attr("href").is_some())
                || dv.attr("onclick").is_some()
                || dv.attr("role").is_some_and(|r| CLICK_ROLES.contains(&r))
        })
}

/// The declared dialog (open or not) the element is in.
fn declared_dialog<'d>(el: &ElementRef<'d>) -> Option<ElementRef<'d>> {
    std::iter::once(*el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find(is_declared_dialog)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>续费管理</title></head><body>
      <h2>自动续费</h2>
      <div class="row"><span>连续包月</span><span class="switch on" role="switch" aria-checked="true"></span></div>
      <a href="/cancel" id="cancel">取消自动续费</a>
      <a href="/refund" style="display:none">申请退款</a>
      <div role="dialog" aria-labelledby="t"><h3 id="t">确认要关闭自动续费吗？</h3>
        <button>取消</button><button>确定</button></div>
      <label><input type="checkbox" id="ack"> 我已了解相关说明</label>
      <p>30天无条件退款</p>
    </body></html>"#;

    #[test]
    fn builds_candidates_like_the_browser() {
        let snap = snapshot_from_html(PAGE, "file:///page.html", &["#cancel".into(), "[".into()]);
        assert_eq!(snap.title, "续费管理");
        let by_text = |t: &str| snap.candidates.iter().find(|c| c.text == t).unwrap();
        let cancel = by_text("取消自动续费");
        // The page has a dialog open: what lies behind it is not a target.
        assert!(cancel.interactive && !cancel.visible);
        assert_eq!(
            cancel.hidden_reason.as_deref(),
            Some("behind an open dialog")
        );
        assert_eq!(cancel.css, "#cancel");
        assert_eq!(cancel.section, "自动续费");
        let refund = by_text("申请退款");
        assert_eq!(refund.hidden_reason.as_deref(), Some("display: none"));
        let ok = by_text("确定");
        assert_eq!(ok.dialog.as_ref().unwrap().title, "确认要关闭自动续费吗？");
        let switch = snap
            .candidates
            .iter()
            .find(|c| c.switch_like && c.role == "switch")
            .unwrap();
        assert_eq!(switch.checked, Some(true));
        assert_eq!(switch.label, "连续包月");
        let ack = snap.candidates.iter().find(|c| c.id == "ack").unwrap();
        assert_eq!(
            (ack.checked, ack.label.as_str()),
            (Some(false), "我已了解相关说明")
        );
        assert!(!by_text("30天无条件退款").interactive);
        assert_eq!(snap.css["#cancel"], Some(vec![cancel.idx]));
        assert_eq!(snap.css["["], None);
        assert_eq!(snap.dialogs.len(), 1);
    }
}
