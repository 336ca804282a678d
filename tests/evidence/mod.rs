//! The evidence folder a person takes to a complaint: what it holds after a run and a
//! dry-run, that `evidence verify` catches any change, that a killed run leaves a valid
//! manifest, that no secret reaches any byte of it, and that the report renders.

use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

/// The web demo script's step files: `NN-kind` for steps 1–11 (step 12 is `proof`).
const WEB_STEMS: [&str; 11] = [
    "01-fill",
    "02-fill",
    "03-click",
    "04-expect",
    "05-click",
    "06-click",
    "07-click",
    "08-switch-off",
    "09-fill",
    "10-confirm",
    "11-expect",
];

fn png(path: &Path) -> image::RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8()
}

/// The stamp band: the rule across the whole width below the page, and text drawn under it.
/// Returns the height of the page above the band.
fn assert_stamped(path: &Path) -> u32 {
    let img = png(path);
    let rule = (0..img.height())
        .rev()
        .find(|&y| (0..img.width()).all(|x| img.get_pixel(x, y).0 == [200, 56, 13, 255]))
        .unwrap_or_else(|| panic!("{}: no stamp band under the page", path.display()));
    if jieyue::evidence::stamp::has_cjk_font() {
        let ink = img
            .enumerate_pixels()
            .filter(|(_, y, p)| *y > rule && p.0[0] < 90 && p.0[1] < 90)
            .count();
        assert!(
            ink > 500,
            "{}: the stamp has no text ({ink} dark pixels)",
            path.display()
        );
    }
    // Three rows of rule: the page ends where they start.
    rule - 2
}

/// Pixels of the dry-run outline colour in the page part of a screenshot.
fn outline_pixels(path: &Path) -> usize {
    let img = png(path);
    let page = assert_stamped(path);
    img.enumerate_pixels()
        .filter(|(_, y, p)| *y < page && p.0 == [214, 0, 214, 255])
        .count()
}

fn verify(dir: &Path) -> Run {
    jieyue(
        &["evidence", "verify", dir.to_str().unwrap()],
        dir.parent().unwrap(),
    )
}

#[test]
fn a_run_leaves_stamped_shots_dom_snapshots_report_and_complaint_that_verify() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "13812345678", &[], dir.path(), "ev");
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let ev = dir.path().join("ev");

    for stem in WEB_STEMS {
        assert!(is_png(&ev.join(format!("{stem}.png"))), "{stem}.png");
        let html = std::fs::read_to_string(ev.join(format!("{stem}.html")))
            .unwrap_or_else(|e| panic!("{stem}.html: {e}"));
        assert!(html.contains("jieyue DOM snapshot"), "{stem}.html");
        assert!(!html.contains("<script"), "{stem}.html keeps a script");
    }
    // The typed account and password are input values: gone from the DOM snapshots.
    let login = std::fs::read_to_string(ev.join("02-fill.html")).unwrap();
    assert!(
        login.contains("id=\"password\""),
        "the password field is there"
    );
    assert!(
        !login.contains("value=\"13812345678\""),
        "an input value was kept"
    );
    let service = std::fs::read_to_string(ev.join("08-switch-off.html")).unwrap();
    assert!(service.contains("确认要关闭自动续费吗"));

    // Every screenshot is stamped below the page; the proof is the whole page, taller than
    // the window, because the record of the change sits below the fold.
    let window = assert_stamped(&ev.join("08-switch-off.png"));
    let whole = assert_stamped(&ev.join("proof.png"));
    assert!(
        whole > window,
        "proof.png ({whole} px) is not a full-page capture (window {window} px)"
    );
    assert!(std::fs::read_to_string(ev.join("proof.html"))
        .unwrap()
        .contains("操作记录"));
    assert_eq!(
        outline_pixels(&ev.join("08-switch-off.png")),
        0,
        "a real run outlines nothing"
    );

    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["schema"], "jieyue.run/1");
    assert_eq!(record["account"], "138****5678");
    assert_eq!(record["switch_before"], "on");
    assert_eq!(record["switch_after"], "off");
    assert!(record["steps"][7]["url"]
        .as_str()
        .unwrap()
        .contains("/member/service"));
    assert_eq!(record["steps"][7]["files"][0], "08-switch-off.html");

    // The manifest lists every file, chained, and verifies.
    let manifest = read_json(&ev.join("manifest.json"));
    let entries = manifest["entries"].as_array().unwrap();
    let listed: Vec<&str> = entries
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    let on_disk = std::fs::read_dir(&ev).unwrap().count() - 1; // manifest.json itself
    assert_eq!(listed.len(), on_disk, "{listed:?}");
    for name in ["run.json", "complaint.md", "report.html", "proof.png"] {
        assert!(listed.contains(&name), "{name} is not in the manifest");
    }
    let ok = verify(&ev);
    assert_eq!(ok.code(), 0, "{}", ok.stderr());
    assert!(ok.stderr().contains("evidence intact"), "{}", ok.stderr());

    let complaint = std::fs::read_to_string(ev.join("complaint.md")).unwrap();
    for words in [
        "投诉材料",
        "138****5678",
        "消费者权益保护法",
        "第二十六条",
        "12315",
        "黑猫投诉",
        "微信“支付-自动续费”",
        "支付宝“我的-自动扣费”",
        "自动续费已关闭",
        "switch_off",
    ] {
        assert!(
            complaint.contains(words),
            "complaint.md lacks {words}:\n{complaint}"
        );
    }
    let shot = entries
        .iter()
        .find(|e| e["file"] == "08-switch-off.png")
        .unwrap();
    assert!(
        complaint.contains(shot["sha256"].as_str().unwrap()),
        "the hash of 08-switch-off.png"
    );
    assert!(!complaint.contains("13812345678"), "the account is masked");

    // One byte of one PNG changed, a file removed, a file added: each is caught and named.
    let target = ev.join("03-click.png");
    let original = std::fs::read(&target).unwrap();
    let mut altered = original.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    std::fs::write(&target, &altered).unwrap();
    let bad = verify(&ev);
    assert_eq!(bad.code(), 1, "{}", bad.stderr());
    assert!(
        bad.stderr().contains("03-click.png was altered"),
        "{}",
        bad.stderr()
    );
    std::fs::write(&target, &original).unwrap();
    assert_eq!(verify(&ev).code(), 0);

    let removed = ev.join("05-click.html");
    let kept = std::fs::read(&removed).unwrap();
    std::fs::remove_file(&removed).unwrap();
    let bad = verify(&ev);
    assert_eq!(bad.code(), 1);
    assert!(
        bad.stderr().contains("05-click.html is missing"),
        "{}",
        bad.stderr()
    );
    std::fs::write(&removed, kept).unwrap();

    std::fs::write(ev.join("09-extra.png"), b"not from the run").unwrap();
    let bad = verify(&ev);
    assert_eq!(bad.code(), 1);
    assert!(
        bad.stderr().contains("09-extra.png was added"),
        "{}",
        bad.stderr()
    );

    check_report_in_chromium(&ev, entries.len());
}

/// Opens report.html in headless Chromium and reads what a person would see.
fn check_report_in_chromium(ev: &Path, files: usize) {
    let _slot = BrowserSlot::take();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = runtime.block_on(async {
        let browser = jieyue::browser::Browser::launch(&Default::default())
            .await
            .expect("Chromium starts");
        let url = format!("file://{}", ev.join("report.html").display());
        browser.goto(&url).await.unwrap();
        let seen = browser
            .execute(
                r#"
                const imgs = [...document.images];
                // The run spoke English (the test's locale): the page opens in English,
                // and its switch turns it to 中文.
                const english = {
                  outcome: document.getElementById('outcome').innerText,
                  switch: document.getElementById('switch').innerText,
                };
                document.querySelector('label[for=lang-zh]').click();
                return {
                  english,
                  outcome: document.getElementById('outcome').innerText,
                  account: document.getElementById('account').innerText,
                  platform: document.getElementById('platform').innerText,
                  switch: document.getElementById('switch').innerText,
                  steps: document.querySelectorAll('section.step').length,
                  images: imgs.length,
                  loaded: imgs.filter(i => i.complete && i.naturalWidth > 300).length,
                  external: imgs.filter(i => !i.src.startsWith('data:')).length,
                  requests: performance.getEntriesByType('resource').length,
                  hashes: document.querySelectorAll('#hashes tr').length - 1,
                  head: document.getElementById('chain-head').innerText,
                };"#,
                vec![],
            )
            .await
            .unwrap();
        if let Ok(png) = browser.screenshot().await {
            let _ = std::fs::write(std::env::temp_dir().join("jieyue-report-view.png"), png);
        }
        browser.close().await;
        seen
    });
    let english = &seen["english"];
    assert!(
        english["outcome"]
            .as_str()
            .unwrap()
            .starts_with("Result: auto-renew is now off."),
        "{english}"
    );
    assert!(
        !english["switch"].as_str().unwrap().contains("开启"),
        "{english}"
    );
    assert!(
        seen["outcome"]
            .as_str()
            .unwrap()
            .contains("自动续费已关闭："),
        "{seen}"
    );
    assert!(
        !seen["outcome"].as_str().unwrap().contains("Result:"),
        "{seen}"
    );
    assert_eq!(seen["account"], "138****5678");
    assert!(seen["platform"].as_str().unwrap().contains("演示卡盟"));
    let switch = seen["switch"].as_str().unwrap();
    assert!(
        switch.contains("开启") && switch.contains("关闭"),
        "{switch}"
    );
    assert_eq!(seen["steps"], 12);
    assert_eq!(
        seen["images"], 12,
        "one screenshot per step, proof included"
    );
    assert_eq!(seen["loaded"], 12, "every inlined screenshot shows: {seen}");
    assert_eq!(seen["external"], 0);
    assert_eq!(seen["requests"], 0, "the report loads nothing");
    // The report lists every file written before it (all but itself).
    assert_eq!(seen["hashes"].as_u64().unwrap() as usize, files - 1);
    assert_eq!(seen["head"].as_str().unwrap().len(), 64);
}

#[test]
fn a_dry_run_outlines_what_it_found_and_says_it_proves_nothing() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "demo", &["--dry-run"], dir.path(), "ev");
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let ev = dir.path().join("ev");
    for stem in &WEB_STEMS[..8] {
        assert!(is_png(&ev.join(format!("{stem}.png"))), "{stem}.png");
        assert!(ev.join(format!("{stem}.html")).is_file(), "{stem}.html");
    }
    assert!(
        !ev.join("09-fill.png").exists(),
        "dry-run stops at the change"
    );
    assert!(
        outline_pixels(&ev.join("08-switch-off.png")) > 100,
        "the found cancel entry is outlined"
    );
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["mode"], "dry-run");
    assert_eq!(record["outcome"], "located");
    let complaint = std::fs::read_to_string(ev.join("complaint.md")).unwrap();
    assert!(complaint.contains("不是取消操作的证明"), "{complaint}");
    let report = std::fs::read_to_string(ev.join("report.html")).unwrap();
    assert!(report.contains("演练"));
    assert_eq!(verify(&ev).code(), 0);
    assert!(server.audit("demo").unwrap().mutations.is_empty());
}

#[test]
fn a_run_killed_in_the_middle_leaves_a_manifest_that_verifies() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let ev = dir.path().join("ev");
    let _slot = BrowserSlot::take();
    let base = format!("base_url={}", server.base_url());
    let secret = format!("password={DEMO_PASSWORD}");
    let tag = format!("jieyue-test-kill-{}", std::process::id());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args(["run", repo_file("scripts/demo-web.yaml").to_str().unwrap()])
        .args(["--var", &base, "--secret", &secret, "--evidence", "ev"])
        .current_dir(dir.path())
        .env("JIEYUE_TEST_TAG", &tag)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a few steps are on disk, mid-run.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let shots = std::fs::read_dir(&ev)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                    .count()
            })
            .unwrap_or(0);
        if shots >= 5 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // SIGKILL leaves no chance to close the browser: stop what this run started.
    kill_tagged(&tag);

    let check = verify(&ev);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["outcome"], "in_progress", "the run was cut short");
    let manifest = read_json(&ev.join("manifest.json"));
    let files = manifest["entries"].as_array().unwrap().len();
    assert!(files >= 6, "{files} files recorded");
    assert!(!ev.join("report.html").exists());
}

/// A password with characters that change under URL, form, JSON and HTML encoding: none of
/// its forms may reach any byte of any artifact, stdout or stderr, with tracing at its most
/// verbose.
#[test]
fn no_secret_reaches_any_artifact_or_output() {
    if !chromium_available() {
        return;
    }
    let password = "Sëcret pass&2026/<x>\"q";
    let dir = workdir();
    let _slot = BrowserSlot::take();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args(["demo", "--password", password, "--evidence", "ev", "--json"])
        .current_dir(dir.path())
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("auto-renew off"),
        "the run went through: {stderr}"
    );

    let encoded: String = password
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let forms = [
        password.to_string(),
        encoded.clone(),
        encoded.to_lowercase(),
        encoded.replace("%20", "+"),
        serde_json::to_string(password)
            .unwrap()
            .trim_matches('"')
            .to_string(),
        password
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
        "Sëcret pass".to_string(),
    ];
    let mut places: Vec<(String, Vec<u8>)> = vec![
        ("stdout".into(), output.stdout.clone()),
        ("stderr".into(), output.stderr.clone()),
    ];
    let ev = dir.path().join("ev");
    for entry in std::fs::read_dir(&ev).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        places.push((name, std::fs::read(entry.path()).unwrap()));
    }
    assert!(places.len() > 25, "the evidence folder is there");
    for (place, bytes) in &places {
        for form in &forms {
            assert!(
                !bytes.windows(form.len()).any(|w| w == form.as_bytes()),
                "a form of the password ({} bytes) is in {place}",
                form.len()
            );
        }
    }
    assert!(stderr.lines().count() > 50, "trace logging was on");
}

#[test]
fn status_reads_the_state_before_and_after_a_cancellation_and_changes_nothing() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let script = repo_file("scripts/demo-web.yaml");
    let status = |evidence: &str| {
        let base = format!("base_url={}", server.base_url());
        let secret = format!("password={DEMO_PASSWORD}");
        let _slot = BrowserSlot::take();
        jieyue(
            &[
                "status",
                script.to_str().unwrap(),
                "--var",
                &base,
                "--secret",
                &secret,
                "--evidence",
                evidence,
                "--expect",
                "off",
                "--json",
            ],
            dir.path(),
        )
    };

    let before = status("before");
    assert_eq!(
        before.code(),
        4,
        "renewal is on, --expect off: {}",
        before.stderr()
    );
    assert!(
        before.stderr().contains("auto-renew: on"),
        "{}",
        before.stderr()
    );
    let json: serde_json::Value = serde_json::from_str(&before.stdout()).unwrap();
    assert_eq!(json["auto_renew"], "on");
    assert_eq!(json["services"][0]["auto_renew"], "on");
    assert!(json["services"][0]["evidence"][1]
        .as_str()
        .unwrap()
        .ends_with(".png"));
    assert!(
        server.audit("demo").unwrap().mutations.is_empty(),
        "status changed something"
    );

    let run = run_demo(&server, "demo", &[], dir.path(), "run");
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let after = status("after");
    assert_eq!(after.code(), 0, "{}", after.stderr());
    assert!(
        after.stderr().contains("auto-renew: off"),
        "{}",
        after.stderr()
    );
    let json: serde_json::Value = serde_json::from_str(&after.stdout()).unwrap();
    assert_eq!(json["auto_renew"], "off");
    assert_eq!(json["exit_code"], 0);
    assert_off_with_one_change(&server.audit("demo").unwrap());
    let record = read_json(&dir.path().join("after/run.json"));
    assert_eq!(record["mode"], "status");
}

#[test]
fn a_recheck_joins_the_run_folder_and_says_plainly_when_renewal_is_back_on() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_demo(&server, "acct17", &[], dir.path(), "run");
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let ev = dir.path().join("run");
    let recheck = |args: &[&str]| {
        let base = format!("base_url={}", server.base_url());
        let secret = format!("password={DEMO_PASSWORD}");
        let user = "username=acct17".to_string();
        let mut all = args.to_vec();
        all.extend(["--var", &base, "--var", &user, "--secret", &secret]);
        let _slot = BrowserSlot::take();
        jieyue(&all, dir.path())
    };
    let script = repo_file("scripts/demo-web.yaml");
    let ev_arg = ev.to_str().unwrap();

    // Two hours later (here: now), still off: the folder gains the re-check and verifies.
    let first = recheck(&[
        "status",
        script.to_str().unwrap(),
        "--append",
        ev_arg,
        "--expect",
        "off",
    ]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(first.stderr().contains("joined"), "{}", first.stderr());
    assert_eq!(verify(&ev).code(), 0, "{}", verify(&ev).stderr());
    let complaint = std::fs::read_to_string(ev.join("complaint.md")).unwrap();
    assert!(complaint.contains("复查："), "{complaint}");
    assert!(complaint.contains("自动续费为“关闭”"), "{complaint}");
    assert!(!complaint.contains("复查发现"), "{complaint}");
    let names: Vec<String> = std::fs::read_dir(&ev)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("recheck-") && n.ends_with(".png")),
        "{names:?}"
    );
    // The run's own record is as it was.
    assert_eq!(read_json(&ev.join("run.json"))["mode"], "run");

    // The platform turns renewal back on; `recheck DIR` finds the script in the record.
    server.reset();
    let second = recheck(&["recheck", ev_arg, "--expect", "off"]);
    assert_eq!(second.code(), 4, "{}", second.stderr());
    assert_eq!(verify(&ev).code(), 0, "{}", verify(&ev).stderr());
    let complaint = std::fs::read_to_string(ev.join("complaint.md")).unwrap();
    let top: String = complaint.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(top.contains("复查发现"), "{complaint}");
    assert!(complaint.matches("- 复查：").count() == 2, "{complaint}");
    let report = std::fs::read_to_string(ev.join("report.html")).unwrap();
    assert!(
        report.contains(r#"<span class="zh">复查 "#)
            && report.contains(r#"<span class="en">Re-check "#),
        "re-checks in the report, in both languages"
    );
    assert!(
        server.audit("acct17").unwrap().auto_renew,
        "a re-check changes nothing"
    );

    // Tampering with an earlier file after the append is caught.
    let first_shot = names
        .iter()
        .filter(|n| n.ends_with(".png") && !n.starts_with("recheck-"))
        .min()
        .unwrap()
        .clone();
    let mut bytes = std::fs::read(ev.join(&first_shot)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(ev.join(&first_shot), bytes).unwrap();
    let caught = verify(&ev);
    assert_eq!(caught.code(), 1, "{}", caught.stderr());
    assert!(caught.stdout().contains(&first_shot) || caught.stderr().contains(&first_shot));
    // A folder that does not verify takes no re-check.
    let refused = recheck(&["recheck", ev_arg]);
    assert_eq!(refused.code(), 2, "{}", refused.stderr());
    assert!(
        refused.stderr().contains("does not verify"),
        "{}",
        refused.stderr()
    );
}
