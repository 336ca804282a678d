//! Integration tests: the jieyue binary against the embedded demo platform in real headless
//! Chromium. Each browser test checks what a person would notice: the exit code, the
//! message, the demo platform's audit, the evidence files — and that no process is left.

mod architecture;
mod blind;
mod carriers;
mod corpus;
mod engine;
mod evidence;
mod explore;
mod faults;
mod generality;
mod people;
mod scale;
mod util;

use util::*;

fn demo_script() -> String {
    repo_file("scripts/demo-web.yaml").display().to_string()
}

/// `jieyue run scripts/demo-web.yaml` against a demo server, as user `user`.
fn run_demo(
    server: &DemoServer,
    user: &str,
    extra: &[&str],
    cwd: &std::path::Path,
    evidence: &str,
) -> Run {
    run_carrier(server, "web", user, extra, cwd, evidence)
}

/// `jieyue run scripts/demo-<carrier>.yaml` against a demo server, as user `user`.
fn run_carrier(
    server: &DemoServer,
    carrier: &str,
    user: &str,
    extra: &[&str],
    cwd: &std::path::Path,
    evidence: &str,
) -> Run {
    let script = repo_file(&format!("scripts/demo-{carrier}.yaml"));
    let user = format!("username={user}");
    let mut args = vec!["--var", &user];
    args.extend_from_slice(extra);
    run_with(server, &script, &args, cwd, evidence)
}

/// `jieyue run SCRIPT` against a demo server, logged in as `demo`, evidence in `ev`.
fn run_script(server: &DemoServer, script: &std::path::Path, cwd: &std::path::Path) -> Run {
    run_with(server, script, &[], cwd, "ev")
}

/// `jieyue run SCRIPT --var base_url=… --secret password=… --evidence DIR EXTRA…`, holding a
/// browser slot.
fn run_with(
    server: &DemoServer,
    script: &std::path::Path,
    extra: &[&str],
    cwd: &std::path::Path,
    evidence: &str,
) -> Run {
    let base = format!("base_url={}", server.base_url());
    let secret = format!("password={DEMO_PASSWORD}");
    let mut args = vec![
        "run",
        script.to_str().unwrap(),
        "--var",
        &base,
        "--secret",
        &secret,
        "--evidence",
        evidence,
    ];
    args.extend_from_slice(extra);
    let _slot = BrowserSlot::take();
    jieyue(&args, cwd)
}

#[test]
fn run_on_demo_turns_auto_renew_off_with_proof() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "demo", &[], dir.path(), "ev");
    assert_eq!(run.code(), 0, "stderr:\n{}", run.stderr());
    assert!(
        run.stderr().contains("auto-renew is now off"),
        "{}",
        run.stderr()
    );

    let audit = server.audit("demo").unwrap();
    assert_off_with_one_change(&audit);

    let ev = dir.path().join("ev");
    assert!(is_png(&ev.join("proof.png")), "proof.png is not a PNG");
    assert!(is_png(&ev.join("08-switch-off.png")));
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["outcome"], "done");
    assert_eq!(record["exit_code"], 0);
    assert_eq!(record["switch_before"], "on");
    let steps = record["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 12, "every step is recorded");
    for step in steps {
        assert_eq!(step["status"], "ok", "{step}");
        assert!(step["duration_ms"].is_u64());
    }
    assert_eq!(steps[7]["kind"], "switch_off");
    assert_eq!(steps[7]["found"]["text"], "取消自动续费");
    assert_eq!(steps[7]["found"]["css"], "#cancel-renew");
    assert!(ev.join("manifest.json").is_file());
    assert_no_leftovers(&run);
}

#[test]
fn second_run_is_idempotent_and_reports_already_off() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let first = run_demo(&server, "demo", &[], dir.path(), "first");
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let second = run_demo(&server, "demo", &[], dir.path(), "second");
    assert_eq!(second.code(), 0, "{}", second.stderr());
    assert!(
        second.stderr().contains("already off"),
        "{}",
        second.stderr()
    );

    let audit = server.audit("demo").unwrap();
    assert!(!audit.auto_renew);
    assert_eq!(
        audit.mutations.len(),
        1,
        "the second run changed something: {:?}",
        audit.mutations
    );
    assert!(audit.decoy_clicks.is_empty());
    let record = read_json(&dir.path().join("second/run.json"));
    assert_eq!(record["outcome"], "already_off");
    assert_eq!(record["steps"][8]["status"], "skipped_already_off");
    assert_eq!(
        record["steps"][11]["status"], "ok",
        "the proof screenshot is still taken"
    );
    assert_no_leftovers(&second);
}

#[test]
fn dry_run_locates_up_to_the_change_and_mutates_nothing() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "demo", &["--dry-run", "--json"], dir.path(), "ev");
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let audit = server.audit("demo").unwrap();
    assert!(audit.auto_renew, "dry-run turned auto-renew off");
    assert!(
        audit.mutations.is_empty(),
        "dry-run mutated: {:?}",
        audit.mutations
    );
    assert!(audit.decoy_clicks.is_empty());

    // --json: one object on stdout, the same record as run.json.
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("stdout is JSON");
    assert_eq!(json["mode"], "dry-run");
    assert_eq!(json["outcome"], "located");
    let steps = json["steps"].as_array().unwrap();
    for step in &steps[..7] {
        assert_eq!(step["status"], "ok", "{step}");
    }
    assert_eq!(steps[7]["status"], "located");
    assert_eq!(steps[7]["switch_before"], "on");
    assert_eq!(steps[7]["found"]["css"], "#cancel-renew");
    for step in &steps[8..] {
        assert_eq!(step["status"], "not_reached", "{step}");
    }
    assert!(is_png(&dir.path().join("ev/08-switch-off.png")));
    assert_no_leftovers(&run);
}

#[test]
fn invalid_script_exits_2_with_line_and_col_and_starts_no_driver() {
    let dir = workdir();
    let (fake, marker) = fake_driver(dir.path());
    let script = write_script(
        dir.path(),
        "bad.yaml",
        "name: 坏脚本\nstart: http://127.0.0.1:9/login\nsteps:\n  - fill: { css: \"#u\", value: x }\n  - clik: [\"登录\"]\n",
    );
    let run = jieyue(
        &[
            "run",
            script.to_str().unwrap(),
            "--driver",
            fake.to_str().unwrap(),
            "--evidence",
            "ev",
        ],
        dir.path(),
    );
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("bad.yaml:5:5: unknown step `clik`"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("did you mean `click`?"),
        "{}",
        run.stderr()
    );
    assert!(
        !marker.exists(),
        "a driver was started for an invalid script"
    );
    assert!(
        !dir.path().join("ev").exists(),
        "an invalid script created evidence"
    );

    let validate = jieyue(&["validate", script.to_str().unwrap()], dir.path());
    assert_eq!(validate.code(), 2);
    assert!(validate.stderr().contains(":5:5:"), "{}", validate.stderr());
}

#[test]
fn bundled_scripts_validate() {
    let dir = workdir();
    let run = jieyue(&["validate", &demo_script()], dir.path());
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout().contains("ok (演示卡盟 · 网页端, 12 steps)"),
        "{}",
        run.stdout()
    );
}

#[test]
fn missing_target_exits_4_naming_the_step_with_its_screenshot() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let script = write_script(
        dir.path(),
        "missing.yaml",
        "name: 找不到\nstart: ${base_url}/login\nvars:\n  base_url: http://127.0.0.1:9\ntimeout: 1500ms\nsteps:\n  - fill: { label: [\"账号\"], value: demo }\n  - fill: { label: [\"密码\"], value: \"${password}\" }\n  - click: [\"登录\"]\n  - click: [\"不存在的按钮\"]\n",
    );
    let run = run_script(&server, &script, dir.path());
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("step 4 (`click`, line 10): 不存在的按钮: not found"),
        "{}",
        run.stderr()
    );
    assert!(
        is_png(&dir.path().join("ev/04-click.png")),
        "the failing step's screenshot is kept"
    );
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["outcome"], "not_found");
    assert_eq!(record["steps"][3]["status"], "failed");
    assert_no_leftovers(&run);
}

#[test]
fn account_without_membership_exits_4_with_a_clear_message() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "no-member", &["--timeout", "2s"], dir.path(), "ev");
    assert_eq!(run.code(), 4, "{}", run.stderr());
    // The page's own words, quoted back: this account has nothing to cancel.
    assert!(
        run.stderr()
            .contains("nothing to cancel: the page says “暂无生效中的会员服务”"),
        "{}",
        run.stderr()
    );
    let audit = server.audit("no-member").unwrap();
    assert!(audit.mutations.is_empty());
    assert_no_leftovers(&run);
}

#[test]
fn commit_step_whose_only_match_is_a_decoy_is_refused_with_exit_6() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    // A careless script: "续费" as the thing to click, marked as a commit.
    let script = write_script(
        dir.path(),
        "decoy.yaml",
        "name: 诱导按钮\nstart: ${base_url}/login\nvars:\n  base_url: http://127.0.0.1:9\nsteps:\n  - fill: { label: [\"账号\"], value: demo }\n  - fill: { label: [\"密码\"], value: \"${password}\" }\n  - click: [\"登录\"]\n  - click: [\"会员中心\"]\n  - click: { text: [\"立即续费\"], commit: true }\n",
    );
    let run = run_script(&server, &script, dir.path());
    assert_eq!(run.code(), 6, "{}", run.stderr());
    assert!(
        run.stderr().contains("refused to click “立即续费”"),
        "{}",
        run.stderr()
    );
    let audit = server.audit("demo").unwrap();
    assert!(
        audit.decoy_clicks.is_empty(),
        "a decoy was clicked: {:?}",
        audit.decoy_clicks
    );
    assert!(audit.auto_renew);
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["outcome"], "refused");
    assert!(is_png(&dir.path().join("ev/05-click.png")));
    assert_no_leftovers(&run);
}

#[test]
fn evidence_folder_that_is_not_empty_is_kept_and_refused() {
    let dir = workdir();
    let ev = dir.path().join("ev");
    std::fs::create_dir_all(&ev).unwrap();
    std::fs::write(ev.join("old.png"), b"earlier evidence").unwrap();
    let run = jieyue(
        &[
            "run",
            &demo_script(),
            "--secret",
            "password=whatever",
            "--evidence",
            ev.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("is not empty"), "{}", run.stderr());
    assert_eq!(
        std::fs::read(ev.join("old.png")).unwrap(),
        b"earlier evidence"
    );
}

#[test]
fn demo_command_runs_the_bundled_script_end_to_end() {
    if !chromium_available() {
        return;
    }
    let dir = workdir();
    let _slot = BrowserSlot::take();
    let run = jieyue(&["demo", "--evidence", "ev"], dir.path());
    drop(_slot);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(err.contains("auto-renew is now off"), "{err}");
    assert!(
        err.contains("auto-renew off, 1 change(s), 0 decoy click(s), 0 refund request(s)"),
        "{err}"
    );
    assert!(is_png(&dir.path().join("ev/proof.png")));
    assert!(
        !err.contains(DEMO_PASSWORD),
        "the password reached the terminal"
    );
    assert_no_leftovers(&run);
}

#[test]
fn firefox_runs_the_demo_when_installed() {
    if !firefox_available() {
        eprintln!("SKIPPED: geckodriver/firefox not installed (./webdriver/install.sh --firefox)");
        return;
    }
    let dir = workdir();
    let _slot = BrowserSlot::take();
    let run = jieyue(
        &["demo", "--browser", "firefox", "--evidence", "ev"],
        dir.path(),
    );
    drop(_slot);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(is_png(&dir.path().join("ev/proof.png")));
    assert_no_leftovers(&run);
}
