//! The labelled corpus (`tests/fixtures/corpus/*.html`): every element with a `data-expect`
//! attribute is a case. The engine reads each page through the same path as `locate --html`
//! (the attribute is never part of what it sees) and its intent is compared with the label.
//! Zero tolerance for a decoy or a "stay" read as a way to cancel; recall of at least 95%
//! for `cancel_renewal` and `proceed`.

use std::collections::BTreeMap;

use jieyue::locate::html::snapshot_from_html;
use jieyue::locate::{intent_of, Intent};
use scraper::{Html, Selector};

use crate::util::repo_file;

const INTENTS: [&str; 10] = [
    "cancel_renewal",
    "cancel_membership",
    "navigate",
    "proceed",
    "stay",
    "decoy",
    "acknowledge",
    "reason",
    "ambiguous",
    "neutral",
];

struct Case {
    file: String,
    text: String,
    expected: String,
    got: Intent,
    css: String,
}

fn cases() -> Vec<Case> {
    let dir = repo_file("tests/fixtures/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus folder exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let html = std::fs::read_to_string(&path).unwrap();
        let snap = snapshot_from_html(&html, &format!("file:///{file}"), &[]);
        let doc = Html::parse_document(&html);
        let labelled = Selector::parse("[data-expect]").unwrap();
        let count = doc.select(&labelled).count();
        let mut found = 0;
        for c in &snap.candidates {
            let sel = Selector::parse(&c.css)
                .unwrap_or_else(|e| panic!("{file}: bad css {}: {e:?}", c.css));
            let Some(el) = doc.select(&sel).next() else {
                continue;
            };
            let Some(expected) = el.value().attr("data-expect") else {
                continue;
            };
            assert!(
                INTENTS.contains(&expected),
                "{file}: unknown label {expected}"
            );
            found += 1;
            out.push(Case {
                file: file.clone(),
                text: if c.visible_label().is_empty() {
                    c.row.clone()
                } else {
                    c.visible_label().to_string()
                },
                expected: expected.to_string(),
                got: intent_of(c),
                css: c.css.clone(),
            });
        }
        assert_eq!(
            found, count,
            "{file}: every labelled element must be a candidate"
        );
    }
    out
}

#[test]
fn corpus_confusion_matrix_holds_the_gate() {
    let cases = cases();
    assert!(
        cases.len() >= 150,
        "the corpus has {} cases, fewer than 150",
        cases.len()
    );
    let mut matrix: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &cases {
        *matrix
            .entry((c.expected.as_str(), c.got.as_str()))
            .or_default() += 1;
    }
    let short = |s: &str| s.chars().take(6).collect::<String>();
    let mut table = format!(
        "\ncorpus: {} cases (rows: label, columns: engine)\n{:>18}",
        cases.len(),
        ""
    );
    for col in INTENTS {
        table += &format!(" {:>6}", short(col));
    }
    table += "  recall\n";
    for row in INTENTS {
        let total: usize = INTENTS
            .iter()
            .map(|col| matrix.get(&(row, *col)).copied().unwrap_or(0))
            .sum();
        if total == 0 {
            continue;
        }
        table += &format!("{row:>18}");
        for col in INTENTS {
            table += &format!(" {:>6}", matrix.get(&(row, col)).copied().unwrap_or(0));
        }
        let right = matrix.get(&(row, row)).copied().unwrap_or(0);
        table += &format!("  {:>5.1}%\n", 100.0 * right as f64 / total as f64);
    }
    let wrong: Vec<String> = cases
        .iter()
        .filter(|c| c.expected != c.got.as_str())
        .map(|c| {
            format!(
                "  {}: “{}” ({}) is {}, read as {}",
                c.file,
                c.text,
                c.css,
                c.expected,
                c.got.as_str()
            )
        })
        .collect();
    table += &format!("misread ({}):\n{}\n", wrong.len(), wrong.join("\n"));
    println!("{table}");

    let dangerous: Vec<&Case> = cases
        .iter()
        .filter(|c| matches!(c.expected.as_str(), "decoy" | "stay" | "ambiguous"))
        .filter(|c| c.got.is_commit())
        .collect();
    assert!(
        dangerous.is_empty(),
        "{table}\nread as a way to cancel, but clicking it would not cancel: {:?}",
        dangerous
            .iter()
            .map(|c| format!("{}: {}", c.file, c.text))
            .collect::<Vec<_>>()
    );
    for intent in ["cancel_renewal", "proceed"] {
        let total = cases.iter().filter(|c| c.expected == intent).count();
        let right = cases
            .iter()
            .filter(|c| c.expected == intent && c.got.as_str() == intent)
            .count();
        assert!(
            right as f64 >= 0.95 * total as f64,
            "{table}\nrecall of {intent} is {right}/{total}, below 95%"
        );
    }
}
