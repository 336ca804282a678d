//! The platform generator (`jieyue::demo::gen`) as the yardstick of generality: platforms
//! composed from independent axes (how the state is shown, where the way out is, the dialog
//! form, the chain, timing, language, decoys, several services, carrier, UI kit).
//!
//! - In the pure engine, every page of every platform of a few hundred seeds is judged as the
//!   blind corpus is (state, the element `switch_off` clicks, the move `confirm` makes).
//! - End to end, one generic script per carrier (keywords only: `find` with `reveal`,
//!   `switch_off`, `confirm: {}`) runs in real Chromium on a range of seeds, judged by the
//!   demo server's audit of each platform.
//!
//! Pass rates are printed per axis. Any decoy click, any change to another service and any
//! false "off" (exit 0 while renewal is still on) fail the test.

use std::collections::BTreeMap;

use jieyue::demo::gen::{pages, platform};
use jieyue::locate::html::snapshot_from_html;

use crate::blind::{judge, report, strip_labels, Verdict};
use crate::util::*;

/// Seeds for the pure engine: every page of each.
const PURE_SEEDS: u64 = 300;

fn seeds_from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_platforms_in_the_pure_engine() {
    let seeds = seeds_from_env("JIEYUE_GEN_PURE_SEEDS", PURE_SEEDS);
    let mut verdicts: Vec<Verdict> = Vec::new();
    for seed in 0..seeds {
        let p = platform(seed);
        let axes: Vec<String> = p.axes().iter().map(|(a, v)| format!("{a}:{v}")).collect();
        for page in pages(seed) {
            let name = format!("seed {seed} {}", page.stage);
            let snap = snapshot_from_html(&strip_labels(&page.html), "http://127.0.0.1/gen", &[]);
            let mut v = judge(&name, &page.html, &snap);
            v.axes = axes.clone();
            verdicts.push(v);
        }
    }
    let table = report(
        &format!("generated platforms, {seeds} seeds, saved HTML"),
        &verdicts,
    );
    println!("{}", shorten(&table));
    let dangers = crate::blind::dangers(&verdicts);
    assert!(
        dangers.is_empty(),
        "{}\ndangers: {dangers:#?}",
        shorten(&table)
    );
}

/// The report without the long list of misread intents (printed in full by the corpus).
fn shorten(table: &str) -> String {
    let mut out = String::new();
    for line in table.lines() {
        if line.starts_with("intents misread") {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One generic script per carrier: keywords only, nothing of the platform but its service's
/// name and renewal word.
fn generic_script(carrier: &str) -> String {
    format!(
        "name: 任一平台\ncarrier: {carrier}\nstart: ${{base_url}}${{start}}\nvars:\n  base_url: http://127.0.0.1:9\n  start: /\n  service: x\n  term: 自动续费\ntimeout: 8s\nsteps:\n  - find: {{ text: [\"${{service}}\"], reveal: 3 }}\n  - switch_off: [\"${{service}}\", \"${{term}}\"]\n  - confirm: {{}}\n  - screenshot: proof\n"
    )
}

struct Outcome {
    seed: u64,
    axes: Vec<String>,
    code: i32,
    off: bool,
    decoys: usize,
    wrong: usize,
    message: String,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.code == 0 && self.off && self.decoys == 0 && self.wrong == 0
    }
}

#[test]
fn generated_platforms_end_to_end_in_chromium() {
    if !chromium_available() {
        return;
    }
    let first = seeds_from_env("JIEYUE_GEN_FIRST_SEED", 1000);
    let count = seeds_from_env("JIEYUE_GEN_SEEDS", 30);
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    for carrier in ["web", "h5"] {
        std::fs::write(
            dir.path().join(format!("any-{carrier}.yaml")),
            generic_script(carrier),
        )
        .unwrap();
    }
    let seeds: Vec<u64> = (first..first + count).collect();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let chunks: Vec<Vec<u64>> = (0..2)
            .map(|k| seeds.iter().copied().skip(k).step_by(2).collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let server = &server;
                let dir = dir.path();
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|seed| run_seed(server, dir, seed))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    let mut by_axis: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for o in &outcomes {
        for a in &o.axes {
            let e = by_axis.entry(a.clone()).or_default();
            e.0 += usize::from(o.passed());
            e.1 += 1;
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let mut table = format!(
        "\ngenerated platforms end to end in Chromium: {passed}/{} cancelled (seeds {first}..{})\n  per axis (cancelled / platforms):\n",
        outcomes.len(),
        first + count
    );
    for (a, (ok, n)) in &by_axis {
        table += &format!("    {a:<28} {ok:>3}/{n:<3}\n");
    }
    table += "  not cancelled:\n";
    for o in outcomes.iter().filter(|o| !o.passed()) {
        table += &format!(
            "    seed {} (exit {}, renewal {}): {}\n",
            o.seed,
            o.code,
            if o.off { "off" } else { "on" },
            o.message
        );
    }
    println!("{table}");

    let bad: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            let mut why = Vec::new();
            if o.decoys > 0 {
                why.push(format!("{} decoy clicks", o.decoys));
            }
            if o.wrong > 0 {
                why.push(format!("{} changes to another service", o.wrong));
            }
            if o.code == 0 && !o.off {
                why.push("exit 0 while renewal is still on (a false off)".to_string());
            }
            (!why.is_empty()).then(|| format!("seed {}: {}", o.seed, why.join(", ")))
        })
        .collect();
    assert!(bad.is_empty(), "{table}\n{bad:#?}");
    assert!(
        passed * 4 >= outcomes.len() * 3,
        "{table}\nfewer than 75% of the generated platforms were cancelled"
    );
}

fn run_seed(server: &DemoServer, dir: &std::path::Path, seed: u64) -> Outcome {
    let p = platform(seed);
    let script = dir.join(format!("any-{}.yaml", p.carrier()));
    let vars = [
        format!("base_url={}", server.base_url()),
        format!("start={}", p.start_path()),
        format!("service={}", p.service_name()),
        format!("term={}", p.term()),
    ];
    let evidence = dir.join(format!("ev-{seed}"));
    let mut args: Vec<&str> = vec!["run", script.to_str().unwrap()];
    for v in &vars {
        args.push("--var");
        args.push(v);
    }
    args.push("--evidence");
    args.push(evidence.to_str().unwrap());
    let run = {
        let _slot = BrowserSlot::take();
        jieyue(&args, dir)
    };
    let audit = server.gen_audit(seed);
    let stderr = run.stderr();
    let message = stderr
        .lines()
        .rev()
        .find(|l| l.contains("step ") && l.contains("):"))
        .unwrap_or("")
        .trim()
        .chars()
        .take(220)
        .collect();
    Outcome {
        seed,
        axes: p.axes().iter().map(|(a, v)| format!("{a}:{v}")).collect(),
        code: run.code(),
        off: audit.as_ref().is_some_and(|a| !a.auto_renew),
        decoys: audit.as_ref().map_or(0, |a| a.decoy_clicks.len()),
        wrong: audit.as_ref().map_or(0, |a| a.wrong_service.len()),
        message,
    }
}
