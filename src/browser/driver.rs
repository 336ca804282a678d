//! The WebDriver server process: chromedriver or geckodriver started by jieyue on a free
//! port, or one already running that jieyue attaches to (`--webdriver URL`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{BrowserError, BrowserKind};

/// A driver server jieyue started. Dropping it kills the driver's whole process group (the
/// driver and any browser it launched), so no process outlives a run, whatever the exit path.
pub struct DriverProcess {
    child: Child,
    /// In the environment of the driver and everything it starts.
    token: String,
    url: String,
    // The driver's own HOME: Chromium writes crash reports and a dconf cache there.
    _home: tempfile::TempDir,
    log: PathBuf,
}

const READY_LIMIT: Duration = Duration::from_secs(20);

impl DriverProcess {
    pub async fn spawn(
        kind: BrowserKind,
        explicit: Option<&Path>,
    ) -> Result<DriverProcess, BrowserError> {
        become_subreaper();
        let binary = find_driver(kind, explicit)?;
        let port = free_port()?;
        let home = tempfile::Builder::new()
            .prefix("jieyue-driver-home-")
            .tempdir()
            .map_err(|e| BrowserError::Driver(format!("cannot create a temporary HOME: {e}")))?;
        let log = home.path().join("driver.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| BrowserError::Driver(format!("cannot create the driver log: {e}")))?;
        let mut command = Command::new(&binary);
        match kind {
            BrowserKind::Chromium => {
                command.arg(format!("--port={port}"));
            }
            BrowserKind::Firefox => {
                command.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
            }
        }
        let token = format!(
            "{}-{}",
            std::process::id(),
            NEXT_TOKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        command
            .env("HOME", home.path())
            // Inherited by the browser and every helper it starts: how `reap_orphans` tells
            // this driver's descendants from anything else jieyue's host process runs.
            .env(TOKEN_VAR, &token)
            .stdin(Stdio::null())
            .stdout(Stdio::from(
                log_file
                    .try_clone()
                    .map_err(|e| BrowserError::Driver(e.to_string()))?,
            ))
            .stderr(Stdio::from(log_file))
            // A process group of its own: the browser the driver starts joins it, and one
            // signal to the group ends them all.
            .process_group(0);
        let child = command
            .spawn()
            .map_err(|e| BrowserError::Driver(format!("cannot start {}: {e}", binary.display())))?;
        tracing::debug!(pid = child.id(), port, driver = %binary.display(), "driver started");
        let mut process = DriverProcess {
            child,
            token,
            url: format!("http://127.0.0.1:{port}"),
            _home: home,
            log,
        };
        process.wait_ready(port).await?;
        Ok(process)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `/status` until the driver says it is ready, the process dies, or the limit.
    async fn wait_ready(&mut self, port: u16) -> Result<(), BrowserError> {
        let deadline = Instant::now() + READY_LIMIT;
        let mut tick = tokio::time::interval(Duration::from_millis(15));
        loop {
            tick.tick().await;
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(BrowserError::Driver(format!(
                    "the driver exited at start ({status}): {}",
                    self.log_tail()
                )));
            }
            if status_ready(port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(BrowserError::Driver(format!(
                    "the driver did not become ready within {} s: {}",
                    READY_LIMIT.as_secs(),
                    self.log_tail()
                )));
            }
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().rev().take(5).collect();
        let tail: Vec<&str> = lines.into_iter().rev().collect();
        if tail.is_empty() {
            "(no output)".into()
        } else {
            tail.join(" / ")
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        // The session is closed before this on every normal path, so the browser is already
        // gone; this is for the other paths (an error, a panic, Ctrl-C), where the browser
        // may still run. It shares the driver's process group.
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group created for the
        // driver at spawn (process_group(0) makes its pgid its pid); nothing is shared.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
        reap_orphans(&self.token);
        tracing::debug!(pid = pgid, "driver stopped");
    }
}

/// Chromium starts helpers (crash handler, zygote) in process groups of their own; when the
/// browser ends they are orphaned. As a subreaper, jieyue inherits them instead of init, so
/// it can end and reap them: nothing outlives a run, not even a zombie.
fn become_subreaper() {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes plain integers and only changes how
    // this process's descendants are reparented.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

const TOKEN_VAR: &str = "JIEYUE_DRIVER_TOKEN";
static NEXT_TOKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Ends and reaps the processes that were reparented to jieyue from this driver's tree (see
/// `become_subreaper`): its children that carry the driver's token. Anything else the host
/// process started (another session's driver, a program of a library user) is left alone.
fn reap_orphans(token: &str) {
    let me = std::process::id();
    let needle = format!("{TOKEN_VAR}={token}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the command name (which may hold spaces) start after the last ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let ppid: Option<u32> = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
        if ppid != Some(me) {
            continue;
        }
        let ours = std::fs::read(format!("/proc/{pid}/environ"))
            .map(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
            .unwrap_or(false);
        if ours {
            // SAFETY: signals and reaps a child of this process that descends from the
            // driver this process started (it carries the driver's token).
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
    }
}

fn find_driver(kind: BrowserKind, explicit: Option<&Path>) -> Result<PathBuf, BrowserError> {
    let name = kind.driver_name();
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(BrowserError::NoDriver(format!(
                "{} (given with --driver) does not exist",
                path.display()
            )))
        };
    }
    let mut places: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect())
        .unwrap_or_default();
    places.push(PathBuf::from("/usr/bin").join(name));
    if let Some(home) = std::env::var_os("HOME") {
        places.push(PathBuf::from(home).join(".cargo/bin").join(name));
    }
    places.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        BrowserError::NoDriver(format!(
            "{name} was not found on PATH or in /usr/bin: run ./webdriver/install.sh{}, or pass --driver PATH or --webdriver URL",
            if kind == BrowserKind::Firefox { " --firefox" } else { "" }
        ))
    })
}

fn free_port() -> Result<u16, BrowserError> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| BrowserError::Driver(format!("no free local port: {e}")))
}

/// One `GET /status`. chromedriver keeps the connection open even when asked to close it,
/// so the body is read with a timeout and judged on what arrived.
fn status_ready(port: u16) -> bool {
    let Ok(mut stream) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
    else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut body = Vec::new();
    let mut buf = [0u8; 2048];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&body);
        if text.contains("\"ready\":true") || text.contains("\"ready\": true") {
            return true;
        }
        if text.contains("\"ready\":false") {
            return false;
        }
    }
    false
}
