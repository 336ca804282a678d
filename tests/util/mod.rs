//! Helpers for the integration tests: the jieyue binary, the demo platform, a bound on
//! browsers alive at once, and a check that no process outlives a run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Condvar, Mutex};

pub use jieyue::demo::{DemoServer, DEMO_PASSWORD};

/// Two cores: more than two browsers at once slow each other into flaky waits.
const MAX_BROWSERS: usize = 2;
static SLOTS: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

pub struct BrowserSlot;

impl BrowserSlot {
    pub fn take() -> BrowserSlot {
        let mut used = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= MAX_BROWSERS {
            used = FREED.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        BrowserSlot
    }
}

impl Drop for BrowserSlot {
    fn drop(&mut self) {
        let mut used = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        FREED.notify_one();
    }
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

/// Whether Chromium and chromedriver are here. Where CI=true their absence fails the test:
/// a browser test never passes silently without a browser.
pub fn chromium_available() -> bool {
    let present = (on_path("chromedriver") || Path::new("/usr/bin/chromedriver").is_file())
        && Path::new("/usr/bin/chromium").is_file();
    if !present {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but Chromium/chromedriver are missing: run ./webdriver/install.sh");
        }
        eprintln!("SKIPPED: Chromium/chromedriver not installed (run ./webdriver/install.sh)");
    }
    present
}

/// Whether Firefox and geckodriver are here. `.ci/run` installs them and sets
/// JIEYUE_REQUIRE_FIREFOX=1, so there their absence fails the test instead of skipping it.
pub fn firefox_available() -> bool {
    let home_bin = std::env::var_os("HOME")
        .map(|h| Path::new(&h).join(".cargo/bin/geckodriver").is_file())
        .unwrap_or(false);
    let present =
        (on_path("geckodriver") || home_bin) && (on_path("firefox") || on_path("firefox-esr"));
    if !present && std::env::var("JIEYUE_REQUIRE_FIREFOX").as_deref() == Ok("1") {
        panic!("JIEYUE_REQUIRE_FIREFOX=1 but Firefox/geckodriver are missing: run ./webdriver/install.sh --firefox");
    }
    present
}

/// A fresh folder for one test; its `evidence` subfolder does not exist yet.
pub fn workdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("jieyue-test-")
        .tempdir()
        .expect("a temp dir")
}

pub struct Run {
    pub output: Output,
    pub tag: String,
}

impl Run {
    /// The exit code; a process ended by a signal reads 128 + the signal, as in a shell
    /// (137: SIGKILL, 134: SIGABRT, 139: SIGSEGV).
    pub fn code(&self) -> i32 {
        use std::os::unix::process::ExitStatusExt;
        match (self.output.status.code(), self.output.status.signal()) {
            (Some(code), _) => code,
            (None, Some(signal)) => 128 + signal,
            (None, None) => -1,
        }
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
}

/// Runs the jieyue binary. Every process it starts inherits a unique tag in its
/// environment, so the test can tell afterwards whether any of them is still alive.
pub fn jieyue(args: &[&str], cwd: &Path) -> Run {
    jieyue_env(args, cwd, &[])
}

/// `jieyue` with extra environment variables (JIEYUE_HOME for profiles, say).
pub fn jieyue_env(args: &[impl AsRef<std::ffi::OsStr>], cwd: &Path, env: &[(&str, &Path)]) -> Run {
    let tag = format!(
        "jieyue-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let output = Command::new(env!("CARGO_BIN_EXE_jieyue"))
        .args(args)
        .current_dir(cwd)
        .env("JIEYUE_TEST_TAG", &tag)
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .env_remove("JIEYUE_PASSWORD")
        .output()
        .expect("the jieyue binary runs");
    Run { output, tag }
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Processes still alive (not zombies) that carry the run's tag: a driver or browser that
/// outlived jieyue.
pub fn leftover_processes(run: &Run) -> Vec<String> {
    let needle = format!("JIEYUE_TEST_TAG={}", run.tag);
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        let has_tag = environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes());
        if !has_tag {
            continue;
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().next())
            .unwrap_or("");
        if state != "Z" {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            found.push(format!("{pid} {}", comm.trim()));
        }
    }
    found
}

/// Kills (SIGKILL) every live process that carries `tag`, checking the tag again right
/// before each kill: only what the test's own run started is touched.
pub fn kill_tagged(tag: &str) {
    let needle = format!("JIEYUE_TEST_TAG={tag}");
    let run = Run {
        output: Command::new("true").output().expect("true runs"),
        tag: tag.to_string(),
    };
    for left in leftover_processes(&run) {
        let Some(pid) = left.split_whitespace().next() else {
            continue;
        };
        let still = std::fs::read(format!("/proc/{pid}/environ"))
            .map(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
            .unwrap_or(false);
        if let (true, Ok(pid)) = (still, pid.parse::<i32>()) {
            // SAFETY: kill(2) with a PID read from /proc and checked just above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

pub fn assert_no_leftovers(run: &Run) {
    let left = leftover_processes(run);
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn is_png(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| b.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) && b.len() > 1000)
        .unwrap_or(false)
}

pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Writes a script into the test's folder.
pub fn write_script(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the script");
    path
}

/// What a person wants after a run: renewal off through exactly one change, with no decoy
/// clicked and no refund requested.
pub fn assert_off_with_one_change(audit: &jieyue::demo::Audit) {
    assert!(!audit.auto_renew, "auto-renew is still on: {audit:?}");
    assert!(
        audit.decoy_clicks.is_empty(),
        "decoys clicked: {:?}",
        audit.decoy_clicks
    );
    assert_eq!(audit.refund_requests, 0, "a refund was requested");
    assert_eq!(audit.mutations.len(), 1, "{:?}", audit.mutations);
}

/// A driver stand-in that leaves a mark if anything ever starts it: (the driver, the mark).
pub fn fake_driver(dir: &Path) -> (PathBuf, PathBuf) {
    let marker = dir.join("driver-was-started");
    let fake = write_script(
        dir,
        "fake-driver.sh",
        &format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    );
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    (fake, marker)
}
