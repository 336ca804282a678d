//! The keyword engine and the guard in real Chromium, on the demo platform: hidden entries
//! found by `reveal`, a drifted selector healed and reported, and `locate --html` explaining
//! a choice on a saved page without a browser.

use crate::util::*;

const LOGIN: &str = "  - fill: { label: [\"账号\"], value: demo }\n  - fill: { label: [\"密码\"], value: \"${password}\" }\n  - click: [\"登录\"]\n  - expect: { text: [\"退出登录\"] }\n";

/// Logs in to the web demo, runs `steps` after it, and expects exit 0. Returns the server
/// (for its audit), the working folder, the run and its record.
fn run_after_login(
    name: &str,
    steps: &str,
) -> (DemoServer, tempfile::TempDir, Run, serde_json::Value) {
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let path = write_script(
        dir.path(),
        name,
        &format!("name: 演示\nstart: ${{base_url}}/login\nvars:\n  base_url: http://127.0.0.1:9\ntimeout: 10s\nsteps:\n{LOGIN}{steps}"),
    );
    let run = crate::run_script(&server, &path, dir.path());
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let record = read_json(&dir.path().join("ev/run.json"));
    (server, dir, run, record)
}

#[test]
fn reveal_finds_the_cancel_entry_through_menus_the_script_does_not_name() {
    if !chromium_available() {
        return;
    }
    let (server, _dir, run, record) = run_after_login(
        "reveal.yaml",
        "  - find: { text: [\"取消自动续费\"], reveal: 3 }\n  - switch_off: [\"自动续费\"]\n  - fill: { within: dialog, label: [\"登录密码\"], value: \"${password}\" }\n  - confirm: {}\n  - expect: { text: [\"已关闭自动续费\"] }\n",
    );
    let find = &record["steps"][4];
    assert_eq!(find["found"]["css"], "#cancel-renew", "{find}");
    let message = find["message"].as_str().unwrap_or("");
    assert!(
        message.contains("found through 会员中心 → 当前会员 → 服务详情 → 取消自动续费"),
        "the path is reported: {message}"
    );
    let audit = server.audit("demo").unwrap();
    assert!(!audit.auto_renew);
    assert!(
        audit.decoy_clicks.is_empty(),
        "exploring clicked a decoy: {:?}",
        audit.decoy_clicks
    );
    assert_eq!(audit.refund_requests, 0);
    assert_no_leftovers(&run);
}

#[test]
fn a_drifted_selector_is_healed_by_keywords_and_reported() {
    if !chromium_available() {
        return;
    }
    let (_server, _dir, run, record) = run_after_login(
        "drift.yaml",
        "  - click: { css: \"#member-entry-2023\", text: [\"会员中心\"] }\n  - expect: { text: [\"我的权益\"] }\n",
    );
    let found = &record["steps"][4]["found"];
    assert_eq!(found["via"], "keywords", "{found}");
    assert_eq!(
        found["css"], "#nav-member",
        "the new css path is reported: {found}"
    );
    let drift = found["drift"].as_str().unwrap_or("");
    assert!(drift.contains("#member-entry-2023"), "{drift}");
    assert!(
        run.stderr().contains("#member-entry-2023"),
        "the drift is shown:\n{}",
        run.stderr()
    );
    assert_no_leftovers(&run);
}

#[test]
fn locate_html_explains_the_choice_on_a_saved_page_without_a_browser() {
    let dir = workdir();
    let page = repo_file("tests/fixtures/corpus/02-confirm-keep.html");
    let page = page.to_str().unwrap();
    let ok = jieyue(
        &[
            "locate", "--html", page, "--text", "确定", "--commit", "--json",
        ],
        dir.path(),
    );
    assert_eq!(ok.code(), 0, "{}", ok.stderr());
    let json: serde_json::Value = serde_json::from_str(&ok.stdout()).unwrap();
    assert_eq!(json["verdict"], "picked");
    assert_eq!(json["pick"]["intent"], "proceed");
    assert!(ok.stderr().contains("would pick “确定”"), "{}", ok.stderr());

    // The same dialog's 取消 keeps the renewal: the guard refuses it as a commit.
    let keep = jieyue(
        &["locate", "--html", page, "--text", "取消", "--commit"],
        dir.path(),
    );
    assert_eq!(keep.code(), 6, "{}", keep.stderr());
    assert!(keep.stderr().contains("reads as stay"), "{}", keep.stderr());

    let missing = jieyue(
        &["locate", "--html", page, "--text", "解除绑定"],
        dir.path(),
    );
    assert_eq!(missing.code(), 4, "{}", missing.stderr());
}
