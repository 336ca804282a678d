//! People in the loop: verification codes from a file, the environment or a terminal; a
//! QR login finished by a phone; saved sessions (a profile, imported cookies) that skip the
//! login. The codes never reach any artifact.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

const PHONE: &str = "13812345678";

/// The SMS-login demo script with code sources added to its two code steps.
fn sms_script(dir: &Path, captcha_from: &str, sms_from: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo_file("scripts/demo-h5-sms.yaml")).unwrap();
    let text = text
        .replace(
            r##"prompt: "图形验证码", image: { css: "#captcha" } }"##,
            &format!(
                r##"prompt: "图形验证码", image: {{ css: "#captcha" }}, from: "{captcha_from}" }}"##
            ),
        )
        .replace(
            r#"prompt: "短信验证码" }"#,
            &format!(r#"prompt: "短信验证码", from: "{sms_from}" }}"#),
        );
    assert!(
        text.contains(captcha_from) && text.contains(sms_from),
        "{text}"
    );
    write_script(dir, "sms.yaml", &text)
}

/// Every byte of the evidence folder and of the outputs, searched for `needle`.
fn assert_nowhere(needle: &str, dir: &Path, outputs: &[&[u8]]) {
    let mut places: Vec<(String, Vec<u8>)> = outputs
        .iter()
        .enumerate()
        .map(|(i, o)| (format!("output {i}"), o.to_vec()))
        .collect();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.contains(needle),
            "a file name carries the code: {name}"
        );
        places.push((name, std::fs::read(entry.path()).unwrap()));
    }
    for (place, bytes) in places {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "the code {needle} is in {place}"
        );
    }
}

/// How text reaches a pseudo-terminal reader that reads bytes as Latin-1: expectations in
/// Chinese are written the same way.
fn pty(text: &str) -> String {
    text.bytes().map(|b| b as char).collect()
}

/// `jieyue run scripts/SCRIPT` in a pseudo-terminal, evidence in `ev`.
fn at_a_terminal(script: &str, server: &DemoServer, cwd: &Path) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jieyue"));
    cmd.arg("run")
        .arg(repo_file(&format!("scripts/{script}")))
        .args(["--var", &format!("base_url={}", server.base_url())])
        .args(["--evidence", "ev"])
        .current_dir(cwd);
    rexpect::session::spawn_command(cmd, Some(60_000)).unwrap()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn codes_from_a_file_written_after_the_step_starts_and_from_the_environment() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let code_file = dir.path().join("captcha.txt");
    let script = sms_script(
        dir.path(),
        &format!("file:{}", code_file.display()),
        "env:JY_SMS",
    );
    server.set_next_sms(PHONE, "846213");
    let _slot = BrowserSlot::take();
    let base = format!("base_url={}", server.base_url());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args([
            "run",
            script.to_str().unwrap(),
            "--var",
            &base,
            "--evidence",
            "ev",
        ])
        .current_dir(dir.path())
        .env("JY_SMS", "846213")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The file appears a moment after the code step has started waiting for it, as a
    // phone-forwarding app would write it.
    let record = dir.path().join("ev/run.json");
    wait_until("step 1 to be recorded", Duration::from_secs(60), || {
        std::fs::read_to_string(&record)
            .map(|t| t.contains("\"number\": 1"))
            .unwrap_or(false)
    });
    std::thread::sleep(Duration::from_millis(300));
    let captcha = server.last_captcha().expect("the page showed a captcha");
    std::fs::write(&code_file, format!("{captcha}\n")).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");

    let audit = server.audit(PHONE).unwrap();
    assert_off_with_one_change(&audit);
    assert_eq!(audit.logins, 1, "logged in once, by SMS");
    assert!(!code_file.exists(), "the code file is deleted after use");
    let record = read_json(&dir.path().join("ev/run.json"));
    assert!(
        record["steps"][1]["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f.as_str().unwrap().contains("code-page")),
        "a code from a source needs no prompt picture"
    );
    let ev = dir.path().join("ev");
    assert_nowhere(&captcha, &ev, &[&output.stdout, &output.stderr]);
    assert_nowhere("846213", &ev, &[&output.stdout, &output.stderr]);
}

#[test]
fn without_a_source_or_a_terminal_a_code_or_a_pause_exits_5_and_says_how() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let run = run_with(
        &server,
        &repo_file("scripts/demo-h5-sms.yaml"),
        &[],
        dir.path(),
        "sms",
    );
    assert_eq!(run.code(), 5, "{}", run.stderr());
    let err = run.stderr();
    assert!(err.contains("step 2 needs a 图形验证码"), "{err}");
    assert!(
        err.contains("--code") && err.contains("from: env:NAME") && err.contains("from: file:PATH"),
        "{err}"
    );
    let record = read_json(&dir.path().join("sms/run.json"));
    assert_eq!(record["outcome"], "code_needed");
    // The same error in Chinese, with what to do next; the record stays as it is.
    let zh = run_with(
        &server,
        &repo_file("scripts/demo-h5-sms.yaml"),
        &["--lang", "zh"],
        dir.path(),
        "sms-zh",
    );
    assert_eq!(zh.code(), 5, "{}", zh.stderr());
    let err = zh.stderr();
    assert!(
        err.contains("第 2 步需要图形验证码，但没有终端可以询问：请加 --code 验证码"),
        "{err}"
    );
    assert!(err.contains("结果：需要验证码或本人操作"), "{err}");
    assert!(err.contains("下一步：在终端中运行以便输入验证码"), "{err}");
    let zh_record = read_json(&dir.path().join("sms-zh/run.json"));
    assert_eq!(
        zh_record["message"], record["message"],
        "the record is language-free"
    );

    let qr = run_with(
        &server,
        &repo_file("scripts/demo-mini-qr.yaml"),
        &[],
        dir.path(),
        "qr",
    );
    assert_eq!(qr.code(), 5, "{}", qr.stderr());
    assert!(qr.stderr().contains("needs a person"), "{}", qr.stderr());
    assert!(qr.stderr().contains("--profile NAME"), "{}", qr.stderr());
    assert_eq!(server.audit("demo").unwrap().logins, 0);
    assert_no_leftovers(&qr);
}

/// A person at a terminal: the prompts name the picture to read and the phone the SMS went
/// to; the answers are typed into a pseudo-terminal.
#[test]
fn a_person_answers_the_captcha_and_sms_prompts_at_a_terminal() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let _slot = BrowserSlot::take();
    let mut p = at_a_terminal("demo-h5-sms.yaml", &server, dir.path());
    p.exp_string(&pty("图形验证码")).unwrap();
    let (_, path) = p.exp_regex(r"look at: \S+\.png").unwrap();
    let crop = path.trim_start_matches("look at: ");
    assert!(crop.ends_with("02-code-image.png"), "{crop}");
    assert!(
        is_png(&dir.path().join(crop)),
        "the captcha crop is a picture: {crop}"
    );
    p.exp_string(&pty("图形验证码: ")).unwrap();
    let captcha = server.last_captcha().unwrap();
    p.send_line(&captcha).unwrap();

    p.exp_string(&pty("短信验证码 (sent to 138****5678)"))
        .unwrap();
    p.exp_string(&pty("短信验证码 (sent to 138****5678): "))
        .unwrap();
    let sms = server.last_sms_code(PHONE).expect("the SMS was sent");
    p.send_line(&sms).unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("auto-renew is now off"), "{rest}");

    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["exit_code"], 0);
    assert_off_with_one_change(&server.audit(PHONE).unwrap());
    let ev = dir.path().join("ev");
    assert_nowhere(&captcha, &ev, &[]);
    assert_nowhere(&sms, &ev, &[]);
}

#[test]
fn a_qr_login_waits_for_the_phone_to_scan_then_goes_on() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let _slot = BrowserSlot::take();
    let mut p = at_a_terminal("demo-mini-qr.yaml", &server, dir.path());
    p.exp_string(&pty("请用微信扫描")).unwrap();
    p.exp_string("the page now: ").unwrap();
    p.exp_string("01-pause.png").unwrap();
    assert_eq!(server.audit("demo").unwrap().logins, 0);
    assert_eq!(server.confirm_qr("demo"), 1, "one QR login was waiting");
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("auto-renew is now off"), "{rest}");
    let audit = server.audit("demo").unwrap();
    assert_eq!(audit.logins, 1);
    assert_off_with_one_change(&audit);
    let record = read_json(&dir.path().join("ev/run.json"));
    assert!(record["steps"][0]["message"]
        .as_str()
        .unwrap()
        .contains("订单"));
}

/// `jieyue login` once (headless: the demo's password login needs no person), then a run
/// with the same profile sends no login request at all.
#[test]
fn a_saved_profile_skips_the_login_on_the_next_run() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let home = dir.path().join("home");
    let base = format!("base_url={}", server.base_url());
    let secret = format!("password={DEMO_PASSWORD}");
    let script = repo_file("scripts/demo-web.yaml");
    let args = |cmd: &'static str, ev: &'static str| {
        vec![
            cmd.to_string(),
            script.display().to_string(),
            "--var".into(),
            base.clone(),
            "--secret".into(),
            secret.clone(),
            "--profile".into(),
            "demo-web".into(),
            "--evidence".into(),
            ev.into(),
        ]
    };
    let mut login_args = args("login", "login");
    login_args.push("--headless".into());
    let login = jieyue_env(&login_args, dir.path(), &[("JIEYUE_HOME", &home)]);
    assert_eq!(login.code(), 0, "{}", login.stderr());
    assert!(
        login
            .stderr()
            .contains("session is saved in profile `demo-web`"),
        "{}",
        login.stderr()
    );
    let audit = server.audit("demo").unwrap();
    assert_eq!(audit.logins, 1);
    assert!(
        audit.auto_renew && audit.mutations.is_empty(),
        "login only logs in"
    );
    let profile = home.join("profiles/demo-web");
    let mode = std::fs::metadata(&profile).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o700
    );

    let run = jieyue_env(&args("run", "run"), dir.path(), &[("JIEYUE_HOME", &home)]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let audit = server.audit("demo").unwrap();
    assert_eq!(audit.logins, 1, "the second run sent no login");
    assert_off_with_one_change(&audit);
    let record = read_json(&dir.path().join("run/run.json"));
    for step in &record["steps"].as_array().unwrap()[..4] {
        assert_eq!(step["status"], "skipped_logged_in", "{step}");
    }
    assert_no_leftovers(&run);
}

/// GET over plain HTTP on 127.0.0.1: the demo's cookie export.
fn http_get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n").unwrap().1.to_string()
}

#[test]
fn imported_cookies_log_in_and_their_values_stay_secret() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let export = http_get(&server.base_url(), "/__demo/cookies?user=demo");
    let cookies: serde_json::Value = serde_json::from_str(&export).unwrap();
    let value = cookies[0]["value"].as_str().unwrap().to_string();
    let file = dir.path().join("cookies.json");
    std::fs::write(&file, &export).unwrap();

    let run = run_carrier(
        &server,
        "h5",
        "demo",
        &["--cookies", file.to_str().unwrap(), "--json"],
        dir.path(),
        "ev",
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let audit = server.audit("demo").unwrap();
    assert_eq!(audit.logins, 0, "the imported session needed no login");
    assert_off_with_one_change(&audit);
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["steps"][3]["status"], "skipped_logged_in");
    assert_nowhere(
        &value,
        &dir.path().join("ev"),
        &[&run.output.stdout, &run.output.stderr],
    );

    // A file that is not a cookie export stops before any browser starts.
    std::fs::write(&file, "{\"name\": 1}").unwrap();
    let bad = run_carrier(
        &server,
        "h5",
        "demo",
        &["--cookies", file.to_str().unwrap()],
        dir.path(),
        "bad",
    );
    assert_eq!(bad.code(), 2, "{}", bad.stderr());
    assert!(
        bad.stderr().contains("not a cookie export"),
        "{}",
        bad.stderr()
    );
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn doctor_says_what_this_machine_has_and_how_to_fix_what_it_lacks() {
    let dir = workdir();
    let run = jieyue(&["doctor", "--json"], dir.path());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("one JSON object");
    let checks = json["checks"].as_array().unwrap();
    let basic: Vec<&serde_json::Value> = checks.iter().filter(|c| c["basic"] == true).collect();
    assert!(basic.iter().any(|c| c["name"] == "chromedriver"), "{json}");
    // Every check that fails says how to fix it.
    for c in checks.iter().filter(|c| c["ok"] == false) {
        assert!(c["fix"].as_str().is_some_and(|f| !f.is_empty()), "{c}");
    }
    if chromium_available() {
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert_eq!(json["ok"], true);
        assert!(
            run.stderr().contains("jieyue can run here"),
            "{}",
            run.stderr()
        );
    } else {
        assert_eq!(run.code(), 3, "{}", run.stderr());
        assert!(run.stderr().contains("fix:"), "{}", run.stderr());
    }
}

#[test]
fn the_summary_speaks_the_persons_language_and_json_does_not_change() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    // --lang zh: the outcome and what to do next in Chinese; the record as it always is.
    let zh = run_demo(
        &server,
        "acct19",
        &["--lang", "zh", "--json"],
        dir.path(),
        "zh",
    );
    assert_eq!(zh.code(), 0, "{}", zh.stderr());
    assert!(
        zh.stderr().contains("结果：自动续费已关闭。"),
        "{}",
        zh.stderr()
    );
    assert!(
        zh.stderr().contains("下一步：平台可能有 1–2 小时延迟"),
        "{}",
        zh.stderr()
    );
    let record: serde_json::Value = serde_json::from_str(&zh.stdout()).unwrap();
    assert_eq!(record["outcome"], "done");
    // report.html holds both languages, opens in the person's, and switches on the page.
    let report_of = |record: &serde_json::Value| {
        let dir = dir.path().join(record["evidence_dir"].as_str().unwrap());
        std::fs::read_to_string(dir.join("report.html")).unwrap()
    };
    let report = report_of(&record);
    assert!(
        report.contains(r#"id="lang-zh" class="lang" checked"#),
        "opens in 中文"
    );
    for words in [
        "<span class=\"zh\">经过</span>",
        "<span class=\"en\">Timeline</span>",
    ] {
        assert!(report.contains(words), "report.html lacks {words}");
    }
    assert!(report.contains(r#"<label for="lang-en">English</label>"#));
    assert_eq!(record["message"], "auto-renew is now off (自动续费已关闭)");
    // English by flag: the same run reads in English.
    let en = run_demo(&server, "acct19", &["--lang", "en"], dir.path(), "en");
    assert_eq!(en.code(), 0, "{}", en.stderr());
    assert!(
        en.stderr().contains("Result: auto-renew was already off"),
        "{}",
        en.stderr()
    );
    assert!(!en.stderr().contains("结果："), "{}", en.stderr());
    let en_record = run_demo(
        &server,
        "acct19",
        &["--lang", "en", "--json"],
        dir.path(),
        "en2",
    );
    let report = report_of(&serde_json::from_str(&en_record.stdout()).unwrap());
    assert!(
        report.contains(r#"id="lang-en" class="lang" checked"#),
        "opens in English"
    );
    // A failed run under a Chinese locale: what happened and what to do next, in Chinese.
    let script = repo_file("scripts/demo-web.yaml");
    let base = format!("base_url={}", server.base_url());
    let secret = format!("password={DEMO_PASSWORD}");
    let args = [
        "run",
        script.to_str().unwrap(),
        "--var",
        &base,
        "--var",
        "username=no-member",
        "--secret",
        &secret,
        "--evidence",
        "nothing",
    ];
    let failed = {
        let _slot = BrowserSlot::take();
        let zh = Path::new("zh_CN.UTF-8");
        jieyue_env(&args, dir.path(), &[("LC_ALL", zh), ("LANG", zh)])
    };
    assert_eq!(failed.code(), 4, "{}", failed.stderr());
    assert!(
        failed
            .stderr()
            .contains("结果：此账号没有需要取消的会员或自动续费。"),
        "{}",
        failed.stderr()
    );
    assert!(
        failed.stderr().contains("下一步：如果仍在扣费，请检查微信"),
        "{}",
        failed.stderr()
    );
}
