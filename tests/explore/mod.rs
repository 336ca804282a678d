//! `jieyue explore`: from a home URL and an account, a script that `run` uses to turn
//! renewal off — on the three demo carriers and on generated platforms, judged by the demo
//! server's audit. Explore itself changes nothing.

use std::collections::BTreeMap;
use std::path::Path;

use jieyue::demo::gen::platform;

use crate::util::*;

/// `explore URL …` with the demo password as a secret, writing `out`.
fn explore(server: &DemoServer, dir: &Path, path: &str, extra: &[&str], out: &str) -> Run {
    let url = format!("{}{path}", server.base_url());
    let secret = format!("password={DEMO_PASSWORD}");
    let mut args = vec!["explore", &url, "--secret", &secret, "--out", out];
    args.extend_from_slice(extra);
    let _slot = BrowserSlot::take();
    jieyue(&args, dir)
}

/// `run SCRIPT` as `user`, with the demo password.
fn run_script(dir: &Path, script: &str, user: Option<&str>, evidence: &str) -> Run {
    let secret = format!("password={DEMO_PASSWORD}");
    let var = user.map(|u| format!("username={u}"));
    let mut args = vec!["run", script, "--evidence", evidence];
    if let Some(v) = &var {
        args.extend(["--var", v, "--secret", &secret]);
    }
    let _slot = BrowserSlot::take();
    jieyue(&args, dir)
}

#[test]
fn explore_writes_a_script_that_turns_renewal_off_on_each_demo_carrier() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    for (carrier, home, user) in [
        ("web", "/", "acct11"),
        ("h5", "/h5", "acct12"),
        ("mini", "/mini", "acct13"),
    ] {
        let out = format!("{carrier}.yaml");
        let explored = explore(
            &server,
            dir.path(),
            home,
            &[
                "--carrier",
                carrier,
                "--user",
                user,
                "--evidence",
                &format!("ex-{carrier}"),
            ],
            &out,
        );
        let said = explored.stderr();
        assert_eq!(explored.code(), 0, "{carrier}: {said}");
        assert_no_leftovers(&explored);
        let audit = server.audit(user).unwrap();
        assert!(
            audit.mutations.is_empty(),
            "{carrier}: explore changed something: {audit:?}"
        );
        assert!(audit.auto_renew);
        assert!(said.contains("dry-run: every target"), "{carrier}: {said}");
        // The exploration's own evidence: every page it looked at, and a folder that verifies.
        let ev = dir.path().join(format!("ex-{carrier}"));
        let record = read_json(&ev.join("run.json"));
        assert_eq!(record["mode"], "explore");
        assert!(record["steps"].as_array().unwrap().len() >= 2, "{record}");
        assert!(is_png(&ev.join("01-visit.png")));
        let verified = jieyue(&["evidence", "verify", ev.to_str().unwrap()], dir.path());
        assert_eq!(verified.code(), 0, "{}", verified.stderr());
        // The script: valid, keywords only, secrets from the environment, never the password.
        let text = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        assert!(!text.contains(DEMO_PASSWORD));
        assert!(text.contains("${env:JIEYUE_PASSWORD}"), "{text}");
        assert!(text.contains("switch_off:"), "{text}");
        assert!(
            !text.contains("css:"),
            "{carrier}: a field without words? {text}"
        );
        let valid = jieyue(&["validate", &out], dir.path());
        assert_eq!(valid.code(), 0, "{}", valid.stderr());
        // Explore never writes over a script.
        let again = explore(&server, dir.path(), home, &["--carrier", carrier], &out);
        assert_eq!(again.code(), 2, "{}", again.stderr());
        assert!(again.stderr().contains("already exists"));

        let run = run_script(dir.path(), &out, Some(user), &format!("run-{carrier}"));
        assert_eq!(run.code(), 0, "{carrier}: {}\n{text}", run.stderr());
        assert_off_with_one_change(&server.audit(user).unwrap());
        let second = run_script(dir.path(), &out, Some(user), &format!("again-{carrier}"));
        assert_eq!(second.code(), 0, "{}", second.stderr());
        assert!(
            second.stderr().contains("already off"),
            "{}",
            second.stderr()
        );
        assert_eq!(server.audit(user).unwrap().mutations.len(), 1);
    }
}

#[test]
fn explore_with_nothing_to_cancel_ends_with_4_and_no_script() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = explore(
        &server,
        dir.path(),
        "/",
        &["--user", "no-member"],
        "none.yaml",
    );
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(
        run.stderr().contains("no renewal setting"),
        "{}",
        run.stderr()
    );
    assert!(!dir.path().join("none.yaml").exists());
    assert!(server.audit("no-member").unwrap().mutations.is_empty());
    assert_no_leftovers(&run);
}

#[test]
fn explore_of_a_login_that_needs_an_sms_code_ends_with_5() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = explore(
        &server,
        dir.path(),
        "/h5/login/sms",
        &["--carrier", "h5", "--user", "13812345678"],
        "sms.yaml",
    );
    assert_eq!(run.code(), 5, "{}", run.stderr());
    assert!(run.stderr().contains("--cookies"), "{}", run.stderr());
    assert!(!dir.path().join("sms.yaml").exists());
    let bad = explore(&server, dir.path(), "/", &["--carrier", "tv"], "x.yaml");
    assert_eq!(bad.code(), 2, "{}", bad.stderr());
}

struct Seeded {
    seed: u64,
    axes: Vec<String>,
    explore_code: i32,
    run_code: i32,
    again_code: i32,
    explore_changed: usize,
    /// Page states looked at, navigation moves and seconds, from explore's summary line.
    effort: Option<(usize, usize, f64)>,
    off: bool,
    decoys: usize,
    wrong: usize,
    note: String,
}

impl Seeded {
    fn passed(&self) -> bool {
        self.explore_code == 0
            && self.run_code == 0
            && self.again_code == 0
            && self.off
            && self.explore_changed == 0
            && self.decoys == 0
            && self.wrong == 0
    }
}

fn explore_seed(server: &DemoServer, dir: &Path, seed: u64) -> Seeded {
    let p = platform(seed);
    let axes: Vec<String> = p.axes().iter().map(|(a, v)| format!("{a}:{v}")).collect();
    let out = format!("gen-{seed}.yaml");
    let mut extra = vec!["--carrier", p.carrier(), "--evidence"];
    let ev = format!("ex-{seed}");
    extra.push(&ev);
    let service = p.service_name().to_string();
    if p.axes().iter().any(|(a, v)| *a == "services" && *v != "1") {
        extra.extend(["--service", &service]);
    }
    let explored = explore(server, dir, &p.start_path(), &extra, &out);
    let after_explore = server.gen_audit(seed);
    let mut s = Seeded {
        seed,
        axes,
        explore_code: explored.code(),
        run_code: -1,
        again_code: -1,
        explore_changed: after_explore.as_ref().map_or(0, |a| a.mutations.len()),
        effort: effort(&explored.stderr()),
        off: false,
        decoys: after_explore.as_ref().map_or(0, |a| a.decoy_clicks.len()),
        wrong: after_explore.as_ref().map_or(0, |a| a.wrong_service.len()),
        note: last_line(&explored.stderr(), "no renewal setting"),
    };
    if s.explore_code != 0 || !dir.join(&out).exists() {
        return s;
    }
    let run = run_script(dir, &out, None, &format!("run-{seed}"));
    s.run_code = run.code();
    if s.run_code == 0 {
        s.again_code = run_script(dir, &out, None, &format!("again-{seed}")).code();
    } else {
        s.note = last_line(&run.stderr(), "step ");
    }
    let audit = server.gen_audit(seed);
    s.off = audit.as_ref().is_some_and(|a| !a.auto_renew);
    s.decoys = audit.as_ref().map_or(0, |a| a.decoy_clicks.len());
    s.wrong = audit.as_ref().map_or(0, |a| a.wrong_service.len());
    s
}

/// `explored 7 page states in 11 navigation moves, 6.5 s` → (7, 11, 6.5).
fn effort(stderr: &str) -> Option<(usize, usize, f64)> {
    let line = stderr.lines().find(|l| l.starts_with("explored "))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let states = words.get(1)?.parse().ok()?;
    let moves = words.get(5)?.parse().ok()?;
    let secs = words.get(8)?.parse().ok()?;
    Some((states, moves, secs))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn last_line(text: &str, containing: &str) -> String {
    text.lines()
        .rev()
        .find(|l| l.contains(containing))
        .unwrap_or("")
        .trim()
        .chars()
        .take(200)
        .collect()
}

#[test]
fn explore_on_generated_platforms() {
    if !chromium_available() {
        return;
    }
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let first = env("JIEYUE_EXPLORE_FIRST_SEED", 2000);
    let count = env("JIEYUE_EXPLORE_SEEDS", 20);
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let seeds: Vec<u64> = (first..first + count).collect();
    let results: Vec<Seeded> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|k| {
                let chunk: Vec<u64> = seeds.iter().copied().skip(k).step_by(2).collect();
                let (server, dir) = (&server, dir.path());
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|seed| explore_seed(server, dir, seed))
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
    for r in &results {
        for a in &r.axes {
            let e = by_axis.entry(a.clone()).or_default();
            e.0 += usize::from(r.passed());
            e.1 += 1;
        }
    }
    let passed = results.iter().filter(|r| r.passed()).count();
    let mut table = format!(
        "\nexplore on generated platforms: {passed}/{} explored, run and re-run cleanly (seeds {first}..{})\n  per axis (passed / platforms):\n",
        results.len(),
        first + count
    );
    for (a, (ok, n)) in &by_axis {
        table += &format!("    {a:<28} {ok:>3}/{n:<3}\n");
    }
    let efforts: Vec<(usize, usize, f64)> = results.iter().filter_map(|r| r.effort).collect();
    table += &format!(
        "  explore's effort (median over {}): {} page states, {} navigation moves, {:.1} s; most moves {}\n",
        efforts.len(),
        median(efforts.iter().map(|e| e.0 as f64).collect()),
        median(efforts.iter().map(|e| e.1 as f64).collect()),
        median(efforts.iter().map(|e| e.2).collect()),
        efforts.iter().map(|e| e.1).max().unwrap_or(0)
    );
    table += "  not passed:\n";
    for r in results.iter().filter(|r| !r.passed()) {
        table += &format!(
            "    seed {} (explore {}, run {}, again {}, renewal {}): {}\n",
            r.seed,
            r.explore_code,
            r.run_code,
            r.again_code,
            if r.off { "off" } else { "on" },
            r.note
        );
    }
    println!("{table}");
    let dangers: Vec<String> = results
        .iter()
        .filter_map(|r| {
            let mut why = Vec::new();
            if r.explore_changed > 0 {
                why.push(format!("explore made {} changes", r.explore_changed));
            }
            if r.decoys > 0 {
                why.push(format!("{} decoy clicks", r.decoys));
            }
            if r.wrong > 0 {
                why.push(format!("{} changes to another service", r.wrong));
            }
            if r.run_code == 0 && !r.off {
                why.push("run said off while renewal is on".into());
            }
            (!why.is_empty()).then(|| format!("seed {}: {}", r.seed, why.join(", ")))
        })
        .collect();
    assert!(dangers.is_empty(), "{table}\n{dangers:#?}");
    assert!(
        passed * 10 >= results.len() * 7,
        "{table}\nfewer than 70% of the generated platforms were explored and cancelled"
    );
}
