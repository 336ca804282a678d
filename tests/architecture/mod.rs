//! The shape of the source: the import graph between modules has no cycle, the command
//! line stays thin, and no function grows past what a reader holds in mind at once.
//!
//! A module is a file under `src/`. An edge is a path to another module: `crate::a::b`,
//! or `super::sibling`. A module's references to its own ancestors (the parent that
//! declares it) are structure, not imports, and are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/runner/steps/mod.rs` → `runner::steps`; `src/lib.rs` → `crate`.
fn module_name(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [one] if one == "lib" || one == "main" => "crate".into(),
        _ => parts.join("::"),
    }
}

/// Code without comments, so that a path named in a doc comment is not an import.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules each module refers to.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            (
                module_name(&src, f),
                code_of(&std::fs::read_to_string(f).unwrap()),
            )
        })
        .collect();
    let names: BTreeSet<&String> = modules.keys().collect();
    let path = regex::Regex::new(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)+)").unwrap();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        // `super` of `a::b` is `a`, whether `b` is `a/b.rs` or `a/b/mod.rs`.
        let parent = match module.rsplit_once("::") {
            Some((p, _)) => p.to_string(),
            None => "crate".to_string(),
        };
        for cap in path.captures_iter(code) {
            let base = if &cap[1] == "crate" {
                "crate".to_string()
            } else {
                parent.clone()
            };
            let parts: Vec<&str> = cap[2].trim_start_matches("::").split("::").collect();
            // The longest prefix that names a module.
            let target = (1..=parts.len()).rev().find_map(|k| {
                let tail = parts[..k].join("::");
                let name = if base == "crate" {
                    tail
                } else {
                    format!("{base}::{tail}")
                };
                names.contains(&name).then_some(name)
            });
            let Some(target) = target else { continue };
            let ancestor = module.starts_with(&format!("{target}::")) || target == "crate";
            if target != *module && !ancestor {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    edges
}

/// The strongly connected components with more than one module.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two modules are in one cycle when each reaches the other.
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for n in edges.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|m| (m, reach(m))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for (m, r) in &reaches {
        if !r.contains(*m) || found.iter().any(|c| c.contains(m)) {
            continue;
        }
        let component: Vec<String> = reaches
            .iter()
            .filter(|(n, rn)| rn.contains(*m) && r.contains(**n))
            .map(|(n, _)| (*n).clone())
            .collect();
        found.push(component);
    }
    found
}

#[test]
fn the_module_graph_has_no_cycle() {
    let edges = graph();
    // The graph, top-level modules only, for whoever reads the test output.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &edges {
        let a = from.split("::").next().unwrap().to_string();
        for to in tos {
            let b = to.split("::").next().unwrap().to_string();
            if a != b {
                top.entry(a.clone()).or_default().insert(b);
            }
        }
    }
    for (from, tos) in &top {
        eprintln!(
            "{from} -> {}",
            tos.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles: {found:?}");
    let top_cycles = cycles(&top);
    assert!(
        top_cycles.is_empty(),
        "cycles between top-level modules: {top_cycles:?}"
    );
}

#[test]
fn the_command_line_is_thin_and_functions_are_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut long = Vec::new();
    let start =
        regex::Regex::new(r"^(\s*)(pub(\([a-z]+\))? )?(async )?(unsafe )?fn (\w+)").unwrap();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        if file.starts_with(src.join("cli")) {
            assert!(
                lines.len() <= 300,
                "{} has {} lines; a command's file stays under 300",
                file.display(),
                lines.len()
            );
        }
        for (i, line) in lines.iter().enumerate() {
            let Some(cap) = start.captures(line) else {
                continue;
            };
            let close = format!("{}}}", &cap[1]);
            let end = lines[i..].iter().position(|l| *l == close).unwrap_or(0);
            if end + 1 > 120 {
                long.push(format!(
                    "{}: fn {} ({} lines)",
                    file.display(),
                    &cap[6],
                    end + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 120 lines:\n{}",
        long.join("\n")
    );
}
