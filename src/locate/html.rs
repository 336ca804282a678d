//! The same candidates as `snapshot.js`, built from saved HTML with `scraper`: for tests on
//! fixtures and for `jieyue locate --html FILE`. Without a browser there is no layout, so
//! visibility comes from the `hidden` and `inert` attributes and inline styles alone, boxes
//! are zero and `on_top` is unknown. Same-origin frames and shadow roots are not followed.

use std::collections::{BTreeMap, HashMap};

use scraper::{ElementRef, Html, Node, Selector};

use super::snapshot::{Candidate, DialogContext, Snapshot};

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
const DIALOG_CLASSES: &[&str] = &[
    "modal",
    "dialog",
    "popup",
    "sheet",
    "actionsheet",
    "van-dialog",
    "el-dialog",
    "ant-modal",
];
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "meta", "html", "body", "link",
];

/// Builds the snapshot of a saved page. `selectors` are resolved as the browser would
/// (`None` for one that does not parse).
pub fn snapshot_from_html(html: &str, url: &str, selectors: &[String]) -> Snapshot {
    let doc = Html::parse_document(html);
    let ids = id_counts(&doc);
    let mut walker = Walker {
        ids: &ids,
        candidates: Vec::new(),
        seen: HashMap::new(),
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
    let dialogs = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|el| is_dialog(el) && hidden_reason(el).is_none())
        .map(|el| clip(&inner_text(el)))
        .collect();
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| norm(&t.text().collect::<String>()))
        .unwrap_or_default();
    let text = inner_text(doc.root_element());
    Snapshot {
        url: url.to_string(),
        title,
        text,
        candidates: walker.candidates,
        css,
        dialogs,
    }
}

struct Walker<'a> {
    ids: &'a HashMap<String, usize>,
    candidates: Vec<Candidate>,
    seen: HashMap<ego_tree::NodeId, usize>,
}

impl Walker<'_> {
    fn consider(&mut self, el: ElementRef, forced: bool) -> Option<usize> {
        if let Some(idx) = self.seen.get(&el.id()) {
            return Some(*idx);
        }
        let v = el.value();
        let tag = v.name().to_ascii_lowercase();
        if SKIPPED.contains(&tag.as_str()) {
            return None;
        }
        let interactive = is_interactive(&el);
        let own = own_text(&el);
        if !interactive && own.is_empty() && !forced {
            return None;
        }
        let input_type = v.attr("type").unwrap_or("").to_ascii_lowercase();
        let editable = (tag == "input"
            && !matches!(
                input_type.as_str(),
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
                .is_some_and(|c| c.is_empty() || c == "true");
        let text = if interactive {
            let button_value =
                if tag == "input" && matches!(input_type.as_str(), "button" | "submit" | "reset") {
                    v.attr("value").unwrap_or("").to_string()
                } else {
                    String::new()
                };
            let inner = inner_text(el);
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
        } else {
            clip(&own)
        };
        let (switch_like, checked) = switch_state(&el);
        let hidden = hidden_reason(&el);
        let idx = self.candidates.len();
        let class = v.attr("class").unwrap_or("").chars().take(120).collect();
        let candidate = Candidate {
            idx,
            tag,
            role: v.attr("role").unwrap_or("").to_string(),
            input_type,
            text,
            label: if editable || switch_like {
                label_of(&el, switch_like)
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
            css: css_path(&el, self.ids),
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
            dialog: dialog_of(&el),
            section: section_of(&el),
            row: row_of(&el),
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

fn style_of(el: &ElementRef) -> HashMap<String, String> {
    el.value()
        .attr("style")
        .unwrap_or("")
        .split(';')
        .filter_map(|decl| {
            let (k, v) = decl.split_once(':')?;
            Some((
                k.trim().to_ascii_lowercase(),
                v.trim().to_ascii_lowercase().replace("!important", ""),
            ))
        })
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect()
}

/// Why the element cannot be seen, from what the HTML says about it and its ancestors.
fn hidden_reason(el: &ElementRef) -> Option<&'static str> {
    let mut node = Some(*el);
    while let Some(e) = node {
        let v = e.value();
        if v.attr("hidden").is_some() {
            return Some("hidden attribute");
        }
        if v.attr("inert").is_some() {
            return Some("inert");
        }
        if v.name() == "dialog" && v.attr("open").is_none() {
            return Some("display: none");
        }
        let style = style_of(&e);
        if style.get("display").map(String::as_str) == Some("none") {
            return Some("display: none");
        }
        if matches!(
            style.get("visibility").map(String::as_str),
            Some("hidden" | "collapse")
        ) {
            return Some("visibility: hidden");
        }
        if style
            .get("opacity")
            .and_then(|o| o.parse::<f64>().ok())
            .is_some_and(|o| o == 0.0)
        {
            return Some("opacity: 0");
        }
        node = e.parent().and_then(ElementRef::wrap);
    }
    None
}

fn is_interactive(el: &ElementRef) -> bool {
    let v = el.value();
    let tag = v.name();
    let pointer = |e: &ElementRef| style_of(e).get("cursor").map(String::as_str) == Some("pointer");
    match tag {
        "a" => return v.attr("href").is_some() || v.attr("onclick").is_some() || pointer(el),
        "button" | "input" | "select" | "textarea" | "summary" | "label" | "option" => return true,
        _ => {}
    }
    if v.attr("role").is_some_and(|r| CLICK_ROLES.contains(&r)) {
        return true;
    }
    if v.attr("onclick").is_some()
        || v.attr("tabindex").is_some()
        || v.attr("contenteditable").is_some()
    {
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

fn own_text(el: &ElementRef) -> String {
    let mut t = String::new();
    for child in el.children() {
        if let Node::Text(text) = child.value() {
            t.push_str(text);
        }
    }
    norm(&t)
}

/// What a person would read: the text of the element without scripts, styles and hidden
/// parts, with block boundaries as spaces.
fn inner_text(el: ElementRef) -> String {
    let mut out = String::new();
    collect_text(el, &mut out);
    norm(&out)
}

fn collect_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if matches!(
                    e.name(),
                    "script" | "style" | "noscript" | "template" | "head"
                ) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if local_hidden(&child_el) {
                    continue;
                }
                out.push(' ');
                collect_text(child_el, out);
                out.push(' ');
            }
            _ => {}
        }
    }
}

fn local_hidden(el: &ElementRef) -> bool {
    let v = el.value();
    let style = style_of(el);
    v.attr("hidden").is_some()
        || (v.name() == "dialog" && v.attr("open").is_none())
        || style.get("display").map(String::as_str) == Some("none")
        || style.get("visibility").map(String::as_str) == Some("hidden")
}

fn has_class(el: &ElementRef, wanted: &[&str]) -> bool {
    el.value().classes().any(|c| wanted.contains(&c))
}

fn switch_state(el: &ElementRef) -> (bool, Option<bool>) {
    let v = el.value();
    let role = v.attr("role").unwrap_or("");
    let is_box = v.name() == "input" && v.attr("type") == Some("checkbox");
    let class_switch = v.classes().any(|c| {
        c.split(['-', '_'])
            .any(|part| part.eq_ignore_ascii_case("switch") || part.eq_ignore_ascii_case("toggle"))
    });
    let is_switch = role == "switch" || role == "checkbox" || is_box || class_switch;
    let checked = if v.name() == "input" && matches!(v.attr("type"), Some("checkbox" | "radio")) {
        Some(v.attr("checked").is_some())
    } else if let Some(a) = v.attr("aria-checked") {
        Some(a == "true")
    } else if let Some(a) = v.attr("aria-pressed") {
        Some(a == "true")
    } else if is_switch {
        Some(v.classes().any(|c| {
            c.split(['-', '_']).any(|part| {
                matches!(
                    part.to_ascii_lowercase().as_str(),
                    "on" | "active" | "checked" | "open" | "enabled"
                )
            })
        }))
    } else {
        None
    };
    (is_switch, checked)
}

fn label_of(el: &ElementRef, switch_like: bool) -> String {
    let mut parts = Vec::new();
    let root = root_of(el);
    if let Some(id) = el.value().attr("id") {
        for l in root.descendants().filter_map(ElementRef::wrap) {
            if l.value().name() == "label" && l.value().attr("for") == Some(id) {
                parts.push(inner_text(l));
            }
        }
    }
    if let Some(wrapping) = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
    {
        parts.push(inner_text(wrapping));
    }
    if let Some(by) = el.value().attr("aria-labelledby") {
        for id in by.split_whitespace() {
            if let Some(l) = root
                .descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().attr("id") == Some(id))
            {
                parts.push(inner_text(l));
            }
        }
    }
    if switch_like && parts.is_empty() && inner_text(*el).is_empty() {
        // An image checkbox or a bare switch: the words beside it in its row.
        if let Some(parent) = el.parent().and_then(ElementRef::wrap) {
            let t = inner_text(parent);
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

fn is_dialog(el: &ElementRef) -> bool {
    let v = el.value();
    v.name() == "dialog"
        || matches!(v.attr("role"), Some("dialog" | "alertdialog"))
        || v.attr("aria-modal") == Some("true")
        || has_class(el, DIALOG_CLASSES)
}

fn dialog_of(el: &ElementRef) -> Option<DialogContext> {
    let d = std::iter::once(*el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find(is_dialog)?;
    let mut title = String::new();
    if let Some(by) = d.value().attr("aria-labelledby") {
        if let Some(t) = root_of(&d)
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().attr("id") == Some(by))
        {
            title = inner_text(t);
        }
    }
    if title.is_empty() {
        if let Some(h) = d.descendants().filter_map(ElementRef::wrap).find(|e| {
            matches!(e.value().name(), "h1" | "h2" | "h3" | "h4")
                || e.value().classes().any(|c| c.contains("title"))
        }) {
            title = inner_text(h);
        }
    }
    Some(DialogContext {
        title: clip(&title),
        text: clip(&inner_text(d)),
    })
}

fn section_of(el: &ElementRef) -> String {
    for node in el.ancestors().filter_map(ElementRef::wrap).take(8) {
        let heading = node.children().filter_map(ElementRef::wrap).find(|h| {
            matches!(h.value().name(), "h1" | "h2" | "h3" | "h4") || has_class(h, &["title"])
        });
        if let Some(h) = heading {
            if !h.descendants().any(|d| d.id() == el.id()) {
                return clip(&inner_text(h));
            }
        }
    }
    String::new()
}

fn row_of(el: &ElementRef) -> String {
    let own = inner_text(*el);
    for node in el.ancestors().filter_map(ElementRef::wrap).take(5) {
        let t = inner_text(node);
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
        let parent = e.parent().and_then(ElementRef::wrap);
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

fn is_plain_ident(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii())
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
        assert!(cancel.interactive && cancel.visible);
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
