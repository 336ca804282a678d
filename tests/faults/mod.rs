//! Faults and hostile input: pages that never yield, storms of alerts, redirect loops, slow
//! and failing servers; a driver stopped or killed in the middle of a run; jieyue itself
//! killed; an endpoint that never answers; the evidence folder removed; and a corpus of bad
//! scripts. Each case asserts the exit code, the message, the record, that the evidence
//! folder verifies, and that no process of the run is left.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::*;

/// A local server of hostile pages. Every page but the broken ones shows a membership with
/// a "关闭自动续费" button that posts to `/mutate`; the decoy in the overlay posts to
/// `/decoy`.
struct Hostile {
    base: String,
    mutations: Arc<AtomicUsize>,
    decoys: Arc<AtomicUsize>,
}

const MEMBER_PAGE: &str = r#"<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>会员中心</title></head>
<body><h1>会员中心</h1><section><h2>连续包月会员</h2><p>自动续费：已开启</p>
<button id="off" onclick="fetch('/mutate',{method:'POST'}).then(function(){document.getElementById('state').textContent='已关闭自动续费'})">关闭自动续费</button>
<p id="state"></p></section>EXTRA</body></html>"#;

fn member_page(extra: &str) -> String {
    MEMBER_PAGE.replace("EXTRA", extra)
}

impl Hostile {
    fn start() -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mutations = Arc::new(AtomicUsize::new(0));
        let decoys = Arc::new(AtomicUsize::new(0));
        let (m, d) = (mutations.clone(), decoys.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (m, d) = (m.clone(), d.clone());
                std::thread::spawn(move || serve(stream, &m, &d));
            }
        });
        Hostile {
            base,
            mutations,
            decoys,
        }
    }

    fn mutations(&self) -> usize {
        self.mutations.load(Ordering::SeqCst)
    }

    fn decoys(&self) -> usize {
        self.decoys.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, mutations: &AtomicUsize, decoys: &AtomicUsize) {
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map(|n| n <= 2).unwrap_or(true) {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let html = |status: &str, body: String| (status.to_string(), Vec::new(), body);
    let (status, headers, body): (String, Vec<String>, String) = match path.as_str() {
        "/ok" => html("200 OK", member_page("")),
        "/mutate" => {
            mutations.fetch_add(1, Ordering::SeqCst);
            html("200 OK", "ok".into())
        }
        "/decoy" => {
            decoys.fetch_add(1, Ordering::SeqCst);
            html("200 OK", "ok".into())
        }
        // A script that never yields, a moment after the page has loaded.
        "/spin" => html(
            "200 OK",
            member_page("<script>setTimeout(function(){for(;;){}}, 300)</script>"),
        ),
        // Alerts, one after another, for ever, from the moment the page loads.
        "/alerts" => html(
            "200 OK",
            member_page("<script>setTimeout(function f(){alert('恭喜您获得续费优惠');setTimeout(f,10)},0)</script>"),
        ),
        // The same storm a moment after loading: the click may come first.
        "/alerts-later" => html(
            "200 OK",
            member_page("<script>setTimeout(function f(){alert('恭喜您获得续费优惠');setTimeout(f,10)},200)</script>"),
        ),
        "/loop" => (
            "302 Found".into(),
            vec!["Location: /loop".into()],
            String::new(),
        ),
        "/to-file" => (
            "302 Found".into(),
            vec!["Location: file:///etc/passwd".into()],
            String::new(),
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(90));
            html("200 OK", member_page(""))
        }
        "/fail" => html(
            "500 Internal Server Error",
            "<h1>Internal Server Error</h1>".into(),
        ),
        "/missing" => html("404 Not Found", "<h1>404</h1>".into()),
        // The DOM grows all the time.
        "/grow" => html(
            "200 OK",
            member_page("<div id='feed'></div><script>setInterval(function(){var f=document.getElementById('feed');for(var i=0;i<50;i++){var d=document.createElement('div');d.textContent='动态 '+f.childElementCount;f.appendChild(d)}},50)</script>"),
        ),
        // The way out inside a closed shadow root: no script of the page's owner can reach it.
        "/shadow" => html(
            "200 OK",
            r#"<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body><h1>会员中心</h1><p>自动续费：已开启</p><div id="host"></div>
<script>var r=document.getElementById('host').attachShadow({mode:'closed'});r.innerHTML='<button onclick="fetch(\'/mutate\',{method:\'POST\'})">关闭自动续费</button>';</script></body></html>"#.into(),
        ),
        // A full-window layer over the page with a decoy in it.
        "/overlay" => html(
            "200 OK",
            member_page("<div style='position:fixed;inset:0;background:#fff;z-index:99'><p>下载App，享受更多会员权益</p><button onclick=\"fetch('/decoy',{method:'POST'})\">立即续费</button></div>"),
        ),
        // The way out leads to a site that is down.
        "/down-link" => html(
            "200 OK",
            MEMBER_PAGE
                .replace(
                    "<button id=\"off\" onclick=\"fetch('/mutate',{method:'POST'}).then(function(){document.getElementById('state').textContent='已关闭自动续费'})\">关闭自动续费</button>",
                    "<a id=\"off\" href=\"http://127.0.0.1:9/cancel\">关闭自动续费</a>",
                )
                .replace("EXTRA", ""),
        ),
        _ => html("404 Not Found", "not found".into()),
    };
    let mut out = &stream;
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(&h);
        head.push_str("\r\n");
    }
    let _ = write!(out, "{head}\r\n{body}");
}

/// A script for one hostile page: open it, turn renewal off, expect the page to say so.
fn page_script(dir: &Path, base: &str, page: &str, middle: &str) -> PathBuf {
    write_script(
        dir,
        &format!("{}.yaml", page.trim_start_matches('/')),
        &format!(
            "name: 故障页 {page}\nstart: {base}{page}\ntimeout: 2s\nsteps:\n{middle}  - click: [\"关闭自动续费\"]\n  - expect: [\"已关闭自动续费\"]\n"
        ),
    )
}

/// A run that is still going after this is a run that never ends: the test kills it and
/// fails.
const NEVER_ENDS: Duration = Duration::from_secs(150);

/// `jieyue ARGS` started in the background, tagged like `jieyue()` runs.
fn spawn(args: &[&str], cwd: &Path) -> (Child, String) {
    let tag = format!(
        "jieyue-fault-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let child = Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args(args)
        .current_dir(cwd)
        .env("JIEYUE_TEST_TAG", &tag)
        .env_remove("JIEYUE_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the jieyue binary starts");
    (child, tag)
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Waits for the child to end, at most `NEVER_ENDS`; returns its output as a `Run` and how
/// long it took from `since`.
fn finish(mut child: Child, tag: String, since: Instant) -> (Run, Duration) {
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if since.elapsed() > NEVER_ENDS {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            kill_tagged(&tag);
            panic!(
                "the run did not end within {} s:\n{}",
                NEVER_ENDS.as_secs(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = since.elapsed();
    let output = child.wait_with_output().unwrap();
    (Run { output, tag }, took)
}

/// The processes left by a run, after giving them `grace` to go.
fn left_after(run: &Run, grace: Duration) -> Vec<String> {
    let until = Instant::now() + grace;
    loop {
        let left = leftover_processes(run);
        if left.is_empty() || Instant::now() >= until {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The folder's manifest verifies over every file it lists.
fn assert_verifies(dir: &Path, ev: &Path) {
    let verify = jieyue(&["evidence", "verify", ev.to_str().unwrap()], dir);
    assert_eq!(
        verify.code(),
        0,
        "the evidence does not verify:\n{}{}",
        verify.stdout(),
        verify.stderr()
    );
}

/// No file of the folder holds `needle`.
fn assert_nowhere_in(ev: &Path, needle: &str) {
    for entry in std::fs::read_dir(ev).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(needle),
            "{} holds `{needle}`",
            entry.path().display()
        );
    }
}

/// Polls until `done` holds or `limit` passes.
fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// How many steps run.json has recorded so far.
fn steps_recorded(ev: &Path) -> usize {
    std::fs::read_to_string(ev.join("run.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["steps"].as_array().map(Vec::len))
        .unwrap_or(0)
}

/// The child processes of `pid` whose command name is `name`.
fn children_named(pid: u32, name: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head.split_once('(').map(|(_, c)| c).unwrap_or_default();
        let ppid: Option<u32> = rest.split_whitespace().nth(1).and_then(|x| x.parse().ok());
        if ppid == Some(pid) && comm == name {
            found.push(p);
        }
    }
    found
}

/// Sends `sig` to the chromedriver the run `pid` started.
fn signal_drivers(pid: u32, sig: i32) {
    for driver in children_named(pid, "chromedriver") {
        signal(driver, sig);
    }
}

/// A line for the table of faults: how the run ended and how long it took.
fn said(fault: &str, run: &Run, took: Duration) {
    eprintln!(
        "fault {fault}: exit {} in {:.1} s",
        run.code(),
        took.as_secs_f64()
    );
}

/// The folder `dir/ev` verifies and no process of the run is left.
fn assert_ended_cleanly(run: &Run, dir: &Path) {
    assert_verifies(dir, &dir.join("ev"));
    let left = left_after(run, Duration::from_secs(5));
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) of a process this test started or a child of it, found just before.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// For a page where either ending is right: one change when the run says done, none when
/// it says not found.
const AS_THE_EXIT_SAYS: usize = usize::MAX;

/// For a page that hangs, or starts a storm of alerts, a moment after loading: the click may
/// or may not come first.
const BEFORE_IT_HANGS: usize = usize::MAX - 1;

/// One hostile page: the run ends with one of `codes`, its message holds `says`, nothing
/// was clicked that should not be, the record is finished, the folder verifies and no
/// process is left. Returns the time the run took, for the table.
fn hostile_case(page: &str, codes: &[i32], says: &[&str], clicks: usize) -> Duration {
    let server = Hostile::start();
    let dir = workdir();
    let script = page_script(dir.path(), &server.base, page, "");
    let _slot = BrowserSlot::take();
    let since = Instant::now();
    let (child, tag) = spawn(
        &["run", script.to_str().unwrap(), "--evidence", "ev"],
        dir.path(),
    );
    let (run, took) = finish(child, tag, since);
    drop(_slot);
    let err = run.stderr();
    eprintln!(
        "fault {page}: exit {} in {:.1} s — {}",
        run.code(),
        took.as_secs_f64(),
        err.lines().rev().nth(1).unwrap_or_default()
    );
    assert!(
        codes.contains(&run.code()),
        "{page}: exit {}:\n{err}",
        run.code()
    );
    assert!(
        says.is_empty() || says.iter().any(|s| err.contains(s)),
        "{page}: the message says none of {says:?}:\n{err}"
    );
    let clicks = match clicks {
        AS_THE_EXIT_SAYS => Some(usize::from(run.code() == 0)),
        BEFORE_IT_HANGS => None,
        n => Some(n),
    };
    if let Some(clicks) = clicks {
        assert_eq!(server.mutations(), clicks, "{page}: changes made");
    }
    assert!(server.mutations() <= 1, "{page}: pressed more than once");
    assert_eq!(server.decoys(), 0, "{page}: a decoy was clicked");
    let ev = dir.path().join("ev");
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["exit_code"], run.code(), "{page}: {record}");
    assert_ne!(record["outcome"], "in_progress", "{page}");
    assert_verifies(dir.path(), &ev);
    assert_nowhere_in(&ev, "root:x:0:0");
    if record["outcome"] == "site_error" {
        let complaint = std::fs::read_to_string(ev.join("complaint.md")).unwrap();
        assert!(complaint.contains("平台网站无法访问或出错"), "{complaint}");
        assert!(!complaint.contains("隐藏或更改"), "{complaint}");
    }
    let left = left_after(&run, Duration::from_secs(5));
    assert!(
        left.is_empty(),
        "{page}: processes outlived the run: {left:?}"
    );
    took
}

#[test]
fn a_page_whose_script_never_yields_ends_the_run_with_exit_3() {
    if !chromium_available() {
        return;
    }
    hostile_case("/spin", &[3], &["stopped answering"], BEFORE_IT_HANGS);
}

#[test]
fn error_pages_are_site_errors_not_missing_entries() {
    if !chromium_available() {
        return;
    }
    hostile_case("/fail", &[3], &["HTTP 500"], 0);
    hostile_case("/missing", &[3], &["HTTP 404"], 0);
    // The click that led to a site that is down fails there, with exit 3.
    hostile_case("/down-link", &[3], &["could not be reached"], 0);
}

#[test]
fn redirect_loops_slow_servers_and_local_files_end_with_exit_3() {
    if !chromium_available() {
        return;
    }
    hostile_case(
        "/loop",
        &[3],
        &["cannot open the start page", "could not be reached"],
        0,
    );
    hostile_case("/to-file", &[3], &[], 0);
    hostile_case("/slow", &[3], &["did not finish loading"], 0);
}

#[test]
fn alert_storms_growing_pages_closed_shadows_and_overlays_never_hang_or_misclick() {
    if !chromium_available() {
        return;
    }
    hostile_case("/ok", &[0], &[], 1);
    hostile_case("/grow", &[0], &[], 1);
    // A dialog the script does not answer is what the page did, not a broken browser: the
    // expectation is not met (exit 4) and the message names the dialog.
    hostile_case("/alerts", &[4], &["native dialog is open"], 0);
    hostile_case(
        "/alerts-later",
        &[4],
        &["native dialog is open"],
        BEFORE_IT_HANGS,
    );
    hostile_case("/shadow", &[4], &["not found"], 0);
    // Under a full-window layer the way out is either found behind it or not at all; the
    // decoy in the layer is never pressed.
    hostile_case("/overlay", &[0, 4], &[], AS_THE_EXIT_SAYS);
}

/// A run held in a `wait` of the membership page, with `fault` done to it once the wait has
/// begun. Returns the run, the time from the fault to its end, the server and the folder.
fn mid_run(fault: impl FnOnce(u32, &Path)) -> (Run, Duration, Hostile, tempfile::TempDir) {
    let server = Hostile::start();
    let dir = workdir();
    let script = page_script(
        dir.path(),
        &server.base,
        "/ok",
        "  - expect: [\"会员中心\"]\n  - wait: 6s\n",
    );
    let ev = dir.path().join("ev");
    let _slot = BrowserSlot::take();
    let (child, tag) = spawn(
        &["run", script.to_str().unwrap(), "--evidence", "ev"],
        dir.path(),
    );
    let pid = child.id();
    let started = wait_until(Duration::from_secs(60), || steps_recorded(&ev) >= 1);
    if !started {
        kill_tagged(&tag);
    }
    assert!(started, "the run never reached its wait");
    let since = Instant::now();
    fault(pid, &ev);
    let (run, took) = finish(child, tag, since);
    (run, took, server, dir)
}

#[test]
fn a_stopped_driver_ends_the_run_with_exit_3_and_nothing_left() {
    if !chromium_available() {
        return;
    }
    let (run, took, server, dir) = mid_run(|pid, _| signal_drivers(pid, libc::SIGSTOP));
    said("driver-stopped", &run, took);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert!(
        run.stderr().contains("stopped answering"),
        "{}",
        run.stderr()
    );
    assert_eq!(server.mutations(), 0);
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["outcome"], "browser_error");
    assert_ended_cleanly(&run, dir.path());
}

/// The local addresses a process's `--port=N` is listened on, from /proc/net/tcp{,6}.
fn listening_addresses(pid: i32) -> Vec<String> {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let port: Option<u16> = cmdline
        .split(|b| *b == 0)
        .filter_map(|a| std::str::from_utf8(a).ok())
        .find_map(|a| a.strip_prefix("--port=").and_then(|p| p.parse().ok()));
    let Some(port) = port else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        for line in std::fs::read_to_string(table)
            .unwrap_or_default()
            .lines()
            .skip(1)
        {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (cols.get(1), cols.get(3)) else {
                continue;
            };
            let Some((addr, p)) = local.rsplit_once(':') else {
                continue;
            };
            if *state == "0A" && u16::from_str_radix(p, 16) == Ok(port) {
                found.push(addr.to_string());
            }
        }
    }
    found
}

#[test]
fn the_driver_listens_on_loopback_only() {
    if !chromium_available() {
        return;
    }
    let seen = std::sync::Mutex::new(Vec::new());
    let (run, _, _, _dir) = mid_run(|pid, _| {
        for driver in children_named(pid, "chromedriver") {
            seen.lock().unwrap().extend(listening_addresses(driver));
        }
    });
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let seen = seen.into_inner().unwrap();
    assert!(
        !seen.is_empty(),
        "no listening socket of the driver was found"
    );
    // 127.0.0.1 and ::1 as /proc/net writes them.
    let loopback = ["0100007F", "00000000000000000000000001000000"];
    for addr in &seen {
        assert!(
            loopback.contains(&addr.as_str()),
            "the driver listens on {addr}: {seen:?}"
        );
    }
}

#[test]
fn a_killed_driver_ends_the_run_with_exit_3_and_nothing_left() {
    if !chromium_available() {
        return;
    }
    let (run, took, server, dir) = mid_run(|pid, _| signal_drivers(pid, libc::SIGKILL));
    said("driver-killed", &run, took);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert_eq!(server.mutations(), 0);
    assert_ended_cleanly(&run, dir.path());
}

#[test]
fn jieyue_killed_mid_run_leaves_no_process_and_a_folder_that_verifies() {
    if !chromium_available() {
        return;
    }
    let (run, took, server, dir) = mid_run(|pid, _| signal(pid as i32, libc::SIGKILL));
    assert_eq!(run.code(), 137);
    // The keeper ends the driver and the browser; nothing is left within 5 s.
    let left = left_after(&run, Duration::from_secs(5));
    eprintln!(
        "fault jieyue-killed: killed in {:.1} s, {} process(es) left",
        took.as_secs_f64(),
        left.len()
    );
    assert!(left.is_empty(), "processes outlived jieyue: {left:?}");
    assert_eq!(server.mutations(), 0);
    assert_verifies(dir.path(), &dir.path().join("ev"));
}

#[test]
fn sigterm_on_a_page_that_never_yields_ends_the_run_within_seconds() {
    if !chromium_available() {
        return;
    }
    let server = Hostile::start();
    let dir = workdir();
    let script = page_script(dir.path(), &server.base, "/spin", "");
    let ev = dir.path().join("ev");
    let _slot = BrowserSlot::take();
    let (child, tag) = spawn(
        &["run", script.to_str().unwrap(), "--evidence", "ev"],
        dir.path(),
    );
    let pid = child.id() as i32;
    // The start page is open (its first step has begun) and its script spins.
    let begun = wait_until(Duration::from_secs(60), || {
        std::fs::read_to_string(ev.join("run.json")).is_ok()
    });
    assert!(begun, "the run never began");
    std::thread::sleep(Duration::from_secs(4));
    let since = Instant::now();
    signal(pid, libc::SIGTERM);
    let (run, took) = finish(child, tag, since);
    said("sigterm-spin", &run, took);
    assert_eq!(run.code(), 130, "{}", run.stderr());
    assert!(
        took < Duration::from_secs(15),
        "SIGTERM took {took:?} to end the run"
    );
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["outcome"], "interrupted");
    assert_eq!(record["exit_code"], 130);
    assert_verifies(dir.path(), &ev);
    let left = left_after(&run, Duration::from_secs(5));
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

#[test]
fn ctrl_c_mid_run_ends_it_with_130_and_an_interrupted_record() {
    if !chromium_available() {
        return;
    }
    let (run, took, server, dir) = mid_run(|pid, _| signal(pid as i32, libc::SIGINT));
    said("ctrl-c", &run, took);
    assert_eq!(run.code(), 130, "{}", run.stderr());
    assert_eq!(server.mutations(), 0);
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["outcome"], "interrupted");
    assert_ended_cleanly(&run, dir.path());
}

#[test]
fn an_evidence_folder_removed_mid_run_stops_it_before_any_change() {
    if !chromium_available() {
        return;
    }
    let (run, took, server, _dir) = mid_run(|_, ev| {
        std::fs::remove_dir_all(ev).unwrap();
    });
    let err = run.stderr();
    said("evidence-removed", &run, took);
    assert_eq!(run.code(), 3, "{err}");
    assert!(err.contains("cannot be written"), "{err}");
    assert!(
        !err.contains("report.html, complaint.md"),
        "the run claims a folder it could not write:\n{err}"
    );
    assert_eq!(server.mutations(), 0, "a change was made without a record");
    let left = left_after(&run, Duration::from_secs(5));
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

#[test]
fn a_webdriver_endpoint_that_never_answers_ends_the_run_with_exit_3() {
    // Accepts every connection and says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let dir = workdir();
    let script = write_script(
        dir.path(),
        "silent.yaml",
        "name: 无应答\nstart: http://127.0.0.1:9/\ntimeout: 2s\nsteps:\n  - click: [\"关闭自动续费\"]\n",
    );
    let since = Instant::now();
    let (child, tag) = spawn(
        &[
            "run",
            script.to_str().unwrap(),
            "--webdriver",
            &url,
            "--evidence",
            "ev",
        ],
        dir.path(),
    );
    let (run, took) = finish(child, tag, since);
    said("silent-webdriver", &run, took);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert!(
        run.stderr().contains("did not open a session"),
        "{}",
        run.stderr()
    );
    let record = read_json(&dir.path().join("ev/run.json"));
    assert_eq!(record["outcome"], "browser_error");
    assert_verifies(dir.path(), &dir.path().join("ev"));
    assert_no_leftovers(&run);
}

/// What a crash left behind (a browser process and a private folder whose owner is gone)
/// is ended and removed by the next run.
#[test]
fn a_later_run_reaps_what_a_crashed_run_left() {
    if !chromium_available() {
        return;
    }
    // Owner "1.1": pid 1 with another start time, so a process that no longer runs.
    let mut orphan = Command::new("sleep")
        .arg("300")
        .env("JIEYUE_DRIVER_TOKEN", "1.1-7")
        .spawn()
        .unwrap();
    let folder = std::env::temp_dir().join(format!("jieyue-run-1.1-test{}", std::process::id()));
    std::fs::create_dir_all(folder.join("profile")).unwrap();
    std::fs::write(folder.join("profile/Cookies"), b"session").unwrap();
    let server = Hostile::start();
    let dir = workdir();
    let script = page_script(dir.path(), &server.base, "/ok", "");
    let _slot = BrowserSlot::take();
    let run = jieyue(
        &["run", script.to_str().unwrap(), "--evidence", "ev"],
        dir.path(),
    );
    drop(_slot);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let ended = wait_until(Duration::from_secs(5), || {
        matches!(orphan.try_wait(), Ok(Some(_)))
    });
    if !ended {
        let _ = orphan.kill();
    }
    assert!(ended, "the process an earlier run left is still running");
    assert!(
        !folder.exists(),
        "the folder an earlier run left is still there"
    );
}

/// Every bad script of the corpus: exit 2 at its own `file:line:col`, and no driver.
#[test]
fn bad_script_corpus_exits_2_located_without_starting_a_driver() {
    let dir = workdir();
    let (fake, marker) = fake_driver(dir.path());
    let corpus = repo_file("tests/fixtures/bad-scripts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "the corpus has {} files", files.len());
    let mut wrong = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let head = String::from_utf8_lossy(&bytes);
        let line: usize = head
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect-line: "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}: no expect-line header", file.display()));
        let run = jieyue(
            &[
                "run",
                file.to_str().unwrap(),
                "--driver",
                fake.to_str().unwrap(),
                "--evidence",
                "ev",
            ],
            dir.path(),
        );
        let want = format!("{}:{line}:", file.display());
        let first = run.stderr().lines().next().unwrap_or_default().to_string();
        if run.code() != 2 || !first.starts_with(&want) {
            wrong.push(format!(
                "{}: exit {}, wanted `{want}…`, got `{first}`",
                file.file_name().unwrap().to_string_lossy(),
                run.code()
            ));
        }
    }
    eprintln!(
        "bad-script corpus: {}/{} rejected at their line",
        files.len() - wrong.len(),
        files.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(!marker.exists(), "a driver was started for a bad script");
    assert!(
        !dir.path().join("ev").exists(),
        "a bad script created evidence"
    );

    let bom = repo_file("tests/fixtures/good-scripts/bom.yaml");
    let ok = jieyue(&["validate", bom.to_str().unwrap()], dir.path());
    assert_eq!(
        ok.code(),
        0,
        "a script with a byte-order mark: {}",
        ok.stderr()
    );
}

/// Reading problems name the file and what to do, without a made-up position.
#[test]
fn unreadable_scripts_are_named_without_a_position() {
    let dir = workdir();
    let folder = dir.path().join("folder.yaml");
    std::fs::create_dir(&folder).unwrap();
    let run = jieyue(&["validate", folder.to_str().unwrap()], dir.path());
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("folder.yaml: is a folder, not a script"),
        "{}",
        run.stderr()
    );
    let big = dir.path().join("big.yaml");
    let mut text = String::from("name: 大\nstart: http://127.0.0.1:9/\nsteps:\n");
    while text.len() < 1_100_000 {
        text.push_str("  - click: [\"下一步下一步下一步下一步下一步下一步\"]\n");
    }
    std::fs::write(&big, text).unwrap();
    let run = jieyue(&["validate", big.to_str().unwrap()], dir.path());
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("a script is at most 1024 KB"),
        "{}",
        run.stderr()
    );
    let run = jieyue(&["validate", "no-such.yaml"], dir.path());
    assert!(
        run.stderr().starts_with("no-such.yaml: no such file"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains(":0:0"), "{}", run.stderr());
}
