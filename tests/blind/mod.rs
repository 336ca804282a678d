//! The blind corpus (`tests/fixtures/blind/`, format in its README): pages written from real
//! public markup before the engine was run on them. Each page is judged on what a person
//! would notice: the renewal state of the named service, the element `switch_off` would
//! click, the move `confirm` would make, and the intent of each labelled element. The labels
//! are removed before the engine reads a page.
//!
//! The gate: no false "off", no click on anything labelled never (decoys, stay buttons,
//! purchases, closed or covered dialogs, other services), no decoy/stay read as a commit.
//! The figures per question are printed; `judge` is shared with the platform generator.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use jieyue::locate::flow::{key, next_move, Move};
use jieyue::locate::html::snapshot_from_html;
use jieyue::locate::service::{decide, state, Decision};
use jieyue::locate::{intent_of, Snapshot, SwitchState};
use jieyue::script::{ConfirmWords, Target};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use crate::util::repo_file;

/// The labels, removed before the engine reads a page.
pub fn strip_labels(html: &str) -> String {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\s(data-case-[a-z-]+|data-expect(-[a-z]+)?)(="[^"]*"|='[^']*')?"#).unwrap()
    });
    LABEL.replace_all(html, "").into_owned()
}

/// What one page asked and what the engine answered.
#[derive(Default, Debug)]
pub struct Verdict {
    pub page: String,
    pub axes: Vec<String>,
    /// (question, right?, what happened)
    pub answers: Vec<(&'static str, bool, String)>,
    /// What must never happen, and did.
    pub dangers: Vec<String>,
    /// (label, engine) for each element with `data-expect`.
    pub intents: Vec<(String, String, String)>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.dangers.is_empty() && self.answers.iter().all(|(_, ok, _)| *ok)
    }
}

fn labelled_element<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    let sel = Selector::parse(css).ok()?;
    doc.select(&sel).next().or_else(|| walk_path(doc, css))
}

/// Follows a `a > b:nth-of-type(n)` path by hand, through `<template>` contents (declared
/// shadow roots), which selectors do not enter.
fn walk_path<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    let children = |el: ElementRef<'a>| -> Vec<ElementRef<'a>> {
        el.children()
            .flat_map(|c| {
                if c.value().is_element() {
                    vec![c]
                } else if c.value().is_fragment() {
                    c.children().collect()
                } else {
                    vec![]
                }
            })
            .filter_map(ElementRef::wrap)
            .collect()
    };
    let mut steps = css.split(" > ");
    let first = steps.next()?;
    let mut at = if let Some(id) = first.strip_prefix('#') {
        doc.tree
            .nodes()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().attr("id") == Some(id))?
    } else {
        doc.root_element()
    };
    for step in steps {
        let (tag, n) = match step.split_once(":nth-of-type(") {
            Some((tag, rest)) => (tag, rest.trim_end_matches(')').parse::<usize>().ok()?),
            None => (step, 1),
        };
        at = children(at)
            .into_iter()
            .filter(|c| c.value().name() == tag)
            .nth(n - 1)?;
    }
    Some(at)
}

/// Whether the element the engine chose is (or wraps, or sits in) one labelled `attr=value`.
fn carries(doc: &Html, css: &str, attr: &str, value: Option<&str>) -> bool {
    let Some(el) = labelled_element(doc, css) else {
        return false;
    };
    let has = |e: &ElementRef| match value {
        Some(v) => e
            .value()
            .attr(attr)
            .is_some_and(|a| a.split_whitespace().any(|x| x == v) || a == v),
        None => e.value().attr(attr).is_some(),
    };
    has(&el)
        || el
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|d| has(&d))
        || el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take(2)
            .any(|a| has(&a) && a.value().name() != "body")
}

/// Judges the engine's answers on one page: `labelled` is the page with its labels, `snap`
/// what the engine saw of it (from the same page without labels, saved or in a browser).
pub fn judge(page: &str, labelled: &str, snap: &Snapshot) -> Verdict {
    let doc = Html::parse_document(labelled);
    let root = doc.root_element();
    let html_attr = |name: &str| root.value().attr(name).map(str::to_string);
    let mut v = Verdict {
        page: page.to_string(),
        axes: html_attr("data-case-axes")
            .unwrap_or_default()
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        ..Verdict::default()
    };
    let never = |css: &str| carries(&doc, css, "data-expect-never", None);

    if let (Some(service), Some(expected)) =
        (html_attr("data-case-service"), html_attr("data-case-state"))
    {
        let target = Target::keywords(service.split('|').map(|w| w.trim().to_string()).collect());
        let (got, why) = state(snap, &target);
        let right = got.as_str() == expected;
        v.answers.push((
            "state",
            right,
            format!("expected {expected}, read {} ({why})", got.as_str()),
        ));
        if got == SwitchState::Off && expected != "off" {
            v.dangers.push(format!("false off: {why}"));
        }
        let decision = decide(snap, &target);
        match (&decision, expected.as_str()) {
            (Decision::Act { element, .. }, _) => {
                let css = &element.css;
                let right = carries(&doc, css, "data-expect-click", Some("switch_off"));
                if never(css) {
                    v.dangers.push(format!(
                        "switch_off would click “{}” ({css}), labelled never",
                        element.visible_label()
                    ));
                }
                v.answers.push((
                    "switch_off",
                    right && expected == "on",
                    format!("would click “{}” at {css}", element.visible_label()),
                ));
            }
            (_, "on") => v.answers.push((
                "switch_off",
                false,
                format!("nothing to click: {}", describe(&decision)),
            )),
            _ => {}
        }
    }

    if let Some(expected) = html_attr("data-case-confirm") {
        let words = ConfirmWords::default();
        let mut done = HashSet::new();
        let mut trail = Vec::new();
        let mut outcome = None;
        for _ in 0..8 {
            match next_move(snap, &words, &done) {
                Move::Tick(c) | Move::Reason(c) => {
                    if never(&c.css) {
                        v.dangers.push(format!(
                            "confirm would click “{}”, labelled never",
                            c.visible_label()
                        ));
                    }
                    trail.push(format!("“{}”", c.visible_label()));
                    done.insert(key(&c));
                }
                Move::Proceed(c) | Move::WaitEnabled(c) => {
                    if never(&c.css) {
                        v.dangers.push(format!(
                            "confirm would press “{}” ({}), labelled never",
                            c.visible_label(),
                            c.css
                        ));
                    }
                    trail.push(format!("press “{}”", c.visible_label()));
                    outcome = Some(carries(&doc, &c.css, "data-expect-click", Some("confirm")));
                    break;
                }
                Move::Refuse(why) => {
                    trail.push(format!("refuse: {why}"));
                    break;
                }
                Move::Nothing => {
                    trail.push("nothing to do".into());
                    break;
                }
            }
        }
        let right = match expected.as_str() {
            "proceed" => outcome == Some(true),
            _ => outcome.is_none(),
        };
        v.answers.push((
            "confirm",
            right,
            format!("expected {expected}: {}", trail.join(" → ")),
        ));
    }

    for c in &snap.candidates {
        let Some(el) = labelled_element(&doc, &c.css) else {
            continue;
        };
        if !c.frame.is_empty() || !c.shadow.is_empty() {
            continue;
        }
        let Some(label) = el.value().attr("data-expect") else {
            continue;
        };
        let got = intent_of(c);
        if matches!(label, "decoy" | "stay" | "ambiguous") && got.is_commit() {
            v.dangers.push(format!(
                "“{}” is {label}, read as {}",
                c.visible_label(),
                got.as_str()
            ));
        }
        v.intents.push((
            label.to_string(),
            got.as_str().to_string(),
            c.visible_label().to_string(),
        ));
    }
    v
}

fn describe(d: &Decision) -> String {
    match d {
        Decision::Act { element, .. } => format!("act on “{}”", element.visible_label()),
        Decision::AlreadyOff(s) => format!("already off ({})", s.read_from),
        Decision::Unreadable(what) => format!("unreadable: {what}"),
        Decision::NoControl(s) => format!("on ({}), but no control", s.read_from),
        Decision::Missing => "the service's words are not on the page".into(),
        Decision::NothingHere(w) => format!("the page says “{w}”"),
    }
}

/// Every danger of the verdicts, with its page.
pub fn dangers(verdicts: &[Verdict]) -> Vec<String> {
    verdicts
        .iter()
        .flat_map(|v| v.dangers.iter().map(move |d| format!("{}: {d}", v.page)))
        .collect()
}

/// Pass rates per question and per axis, and every page still wrong.
pub fn report(title: &str, verdicts: &[Verdict]) -> String {
    let mut by_question: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_axis: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for v in verdicts {
        for (q, ok, _) in &v.answers {
            let e = by_question.entry(q).or_default();
            e.0 += usize::from(*ok);
            e.1 += 1;
        }
        for axis in &v.axes {
            let e = by_axis.entry(axis.clone()).or_default();
            e.0 += usize::from(v.ok());
            e.1 += 1;
        }
    }
    let intents_right = verdicts
        .iter()
        .flat_map(|v| &v.intents)
        .filter(|(l, g, _)| l == g)
        .count();
    let intents = verdicts.iter().map(|v| v.intents.len()).sum::<usize>();
    let pages_ok = verdicts.iter().filter(|v| v.ok()).count();
    let mut out = format!(
        "\n{title}: {pages_ok}/{} pages right; intents {intents_right}/{intents}\n",
        verdicts.len()
    );
    for (q, (ok, n)) in &by_question {
        out += &format!("  {q:<12} {ok:>4}/{n:<4}\n");
    }
    out += "  per axis (pages right / pages):\n";
    for (a, (ok, n)) in &by_axis {
        out += &format!("    {a:<32} {ok:>4}/{n:<4}\n");
    }
    let wrong: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.ok())
        .map(|v| {
            let mut lines = vec![format!("  {}", v.page)];
            for (q, ok, what) in &v.answers {
                if !ok {
                    lines.push(format!("    {q}: {what}"));
                }
            }
            for d in &v.dangers {
                lines.push(format!("    DANGER {d}"));
            }
            lines.join("\n")
        })
        .collect();
    out += &format!("still wrong ({}):\n{}\n", wrong.len(), wrong.join("\n"));
    let misread: Vec<String> = verdicts
        .iter()
        .flat_map(|v| {
            v.intents
                .iter()
                .filter(|(l, g, _)| l != g)
                .map(move |(l, g, t)| format!("  {}: “{t}” is {l}, read as {g}", v.page))
        })
        .collect();
    out += &format!(
        "intents misread ({}):\n{}\n",
        misread.len(),
        misread.join("\n")
    );
    out
}

/// The corpus pages: (file name, page with labels).
pub fn pages() -> Vec<(String, String)> {
    let dir = repo_file("tests/fixtures/blind");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the blind corpus folder exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn blind_corpus_in_the_pure_engine() {
    let pages = pages();
    let verdicts: Vec<Verdict> = pages
        .iter()
        .map(|(name, html)| {
            let snap = snapshot_from_html(&strip_labels(html), &format!("file:///{name}"), &[]);
            judge(name, html, &snap)
        })
        .collect();
    let table = report("blind corpus, saved HTML", &verdicts);
    println!("{table}");
    let dangers = dangers(&verdicts);
    assert!(dangers.is_empty(), "{table}\ndangers: {dangers:#?}");
    assert!(
        pages.len() >= 60,
        "the blind corpus has {} pages, fewer than 60",
        pages.len()
    );
}

/// A page server on 127.0.0.1 for saved pages: `/N` is page N. Stops with the test process.
pub fn serve_pages(pages: Vec<String>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Drain the headers.
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map(|n| n <= 2).unwrap_or(true) {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let body = path
                .trim_start_matches('/')
                .parse::<usize>()
                .ok()
                .and_then(|i| pages.get(i))
                .cloned();
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", String::from("not found")),
            };
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

/// The words a page's questions are about: the snapshot is asked for them, as `switch_off`
/// asks for its target's.
fn page_words(labelled: &str) -> Vec<String> {
    let doc = Html::parse_document(labelled);
    doc.root_element()
        .value()
        .attr("data-case-service")
        .map(|s| {
            s.split('|')
                .map(jieyue::locate::lexicon::normalize)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Snapshots each page in real Chromium (computed styles, layout, the dialogs as they
/// behave) and judges it as the saved-HTML test does.
pub fn judge_in_chromium(pages: &[(String, String)], mobile: bool) -> Vec<Verdict> {
    use jieyue::browser::{Browser, LaunchOptions};
    let base = serve_pages(pages.iter().map(|(_, html)| strip_labels(html)).collect());
    let _slot = crate::util::BrowserSlot::take();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let browser = Browser::launch(&LaunchOptions {
            mobile,
            ..LaunchOptions::default()
        })
        .await
        .expect("chromium and chromedriver start");
        let mut out = Vec::new();
        for (i, (name, labelled)) in pages.iter().enumerate() {
            browser
                .goto(&format!("{base}/{i}"))
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let query = serde_json::json!({
                "css": [], "words": page_words(labelled), "all": true,
                "fold": jieyue::locate::lexicon::fold_table(),
            });
            let value = browser
                .client()
                .execute(jieyue::locate::SNAPSHOT_JS, vec![query])
                .await
                .unwrap_or_else(|e| panic!("{name}: snapshot: {e}"));
            let snap: Snapshot = serde_json::from_value(value).unwrap();
            out.push(judge(name, labelled, &snap));
        }
        browser.close().await;
        out
    })
}

#[test]
fn blind_corpus_in_chromium() {
    if !crate::util::chromium_available() {
        return;
    }
    let pages = pages();
    let verdicts = judge_in_chromium(&pages, false);
    let table = report("blind corpus, real Chromium", &verdicts);
    println!("{table}");
    let dangers = dangers(&verdicts);
    assert!(dangers.is_empty(), "{table}\ndangers: {dangers:#?}");
}
