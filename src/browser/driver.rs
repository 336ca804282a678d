//! The WebDriver server process: chromedriver or geckodriver started by jieyue on a free
//! port, or one already running that jieyue attaches to (`--webdriver URL`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{BrowserError, BrowserKind};

/// A driver server jieyue started. Dropping it kills the driver's whole process group (the
/// driver and any browser it launched), so no process outlives a run, whatever the exit path.
/// Should jieyue itself be killed (`kill -9`, the OOM killer), a keeper process ends them.
pub struct DriverProcess {
    child: Child,
    /// In the environment of the driver and everything it starts.
    token: String,
    url: String,
    /// The run's private folder (0700): the driver's HOME (Chromium writes crash reports
    /// and a dconf cache there) and the browser profile.
    dir: tempfile::TempDir,
    log: PathBuf,
    keeper: Option<Child>,
}

/// Waits on a pipe from jieyue. A line `done` means the run ended cleanly; end of file
/// means jieyue died: then it kills the driver's process group and anything else carrying
/// the driver's token (Chromium's helpers live in groups of their own), and removes the
/// run's private folder with the profile's cookies.
const KEEPER_SH: &str = r#"read -r word
[ "$word" = done ] && exit 0
kill -KILL -"$1" 2>/dev/null
for p in /proc/[0-9]*; do
  if tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qxF "JIEYUE_DRIVER_TOKEN=$2"; then
    kill -KILL "${p#/proc/}" 2>/dev/null
  fi
done
rm -rf -- "$3"
"#;

/// Temporary folders of a run carry this prefix and the run's owner id.
const DIR_PREFIX: &str = "jieyue-run-";

const READY_LIMIT: Duration = Duration::from_secs(20);

impl DriverProcess {
    pub async fn spawn(
        kind: BrowserKind,
        explicit: Option<&Path>,
    ) -> Result<DriverProcess, BrowserError> {
        become_subreaper();
        reap_leftovers();
        let binary = find_driver(kind, explicit)?;
        let port = free_port()?;
        let owner = owner_id();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{DIR_PREFIX}{owner}-"))
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|e| BrowserError::Driver(format!("cannot create a temporary folder: {e}")))?;
        let home = dir.path().join("home");
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&home)
            .map_err(|e| BrowserError::Driver(format!("cannot create a temporary HOME: {e}")))?;
        let log = home.join("driver.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| BrowserError::Driver(format!("cannot create the driver log: {e}")))?;
        let mut command = Command::new(&binary);
        match kind {
            BrowserKind::Chromium => {
                // No `--allowed-ips`: with it chromedriver listens on every interface; without
                // it, on 127.0.0.1 and ::1 only.
                command.arg(format!("--port={port}"));
            }
            BrowserKind::Firefox => {
                command.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
            }
        }
        let token = format!(
            "{owner}-{}",
            NEXT_TOKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        command
            .env("HOME", &home)
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
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(child.id() as libc::pid_t);
        let keeper = spawn_keeper(child.id(), &token, dir.path());
        let mut process = DriverProcess {
            child,
            token,
            url: format!("http://127.0.0.1:{port}"),
            dir,
            log,
            keeper,
        };
        process.wait_ready(port).await?;
        Ok(process)
    }

    /// Where the browser profile of this run goes (inside the run's private folder).
    pub fn profile_dir(&self) -> PathBuf {
        self.dir.path().join("profile")
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
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|g| *g != pgid);
        if let Some(mut keeper) = self.keeper.take() {
            if let Some(mut pipe) = keeper.stdin.take() {
                let _ = pipe.write_all(b"done\n");
            }
            let _ = keeper.wait();
        }
        tracing::debug!(pid = pgid, "driver stopped");
    }
}

/// The process groups of the drivers alive now, for `kill_all` on a hard exit.
static LIVE_GROUPS: std::sync::Mutex<Vec<libc::pid_t>> = std::sync::Mutex::new(Vec::new());

/// Kills every driver this process started, with its browser: for an exit that skips the
/// destructors (a second Ctrl-C). The keepers would do it too, a moment later.
pub fn kill_all() {
    let groups = LIVE_GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    for pgid in groups.iter() {
        // SAFETY: each entry is the process group of a driver this process spawned and has
        // not yet reaped (entries are removed when the driver is dropped).
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// The keeper: a shell that ends the driver's processes if jieyue dies without saying
/// `done` (see `KEEPER_SH`). In a process group of its own, so a Ctrl-C at the terminal
/// does not end it before it has done its work.
fn spawn_keeper(pgid: u32, token: &str, dir: &Path) -> Option<Child> {
    let keeper = Command::new("/bin/sh")
        .args(["-c", KEEPER_SH, "jieyue-keeper"])
        .arg(pgid.to_string())
        .arg(token)
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
    match keeper {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(
                "no keeper for the driver ({e}): if jieyue is killed, the browser may outlive it"
            );
            None
        }
    }
}

/// This process's id for the names of what it leaves in shared places: its pid and start
/// time (a later process with the same pid has another start time).
fn owner_id() -> String {
    let me = std::process::id();
    format!("{me}.{}", start_time(me).unwrap_or(0))
}

/// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
fn start_time(pid: u32) -> Option<u64> {
    stat_field(pid as i32, 22)
}

/// Field `n` (1-based, as proc(5) numbers them) of /proc/PID/stat.
fn stat_field<T: std::str::FromStr>(pid: i32, n: usize) -> Option<T> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (field 2, which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(n.checked_sub(3)?)?.parse().ok()
}

/// Whether the jieyue process named by an owner id (`PID.START`) is still running.
fn owner_alive(owner: &str) -> bool {
    let Some((pid, start)) = owner.split_once('.') else {
        return false;
    };
    match (pid.parse::<u32>(), start.parse::<u64>()) {
        (Ok(pid), Ok(start)) => start_time(pid) == Some(start),
        _ => false,
    }
}

/// What an earlier jieyue left when it died without its keeper (both killed at once, a
/// reboot of the container): drivers and browsers carrying a token whose owner is gone, and
/// the private folders of runs whose owner is gone. Only this user's processes and folders
/// can be seen or touched.
fn reap_leftovers() {
    let prefix = format!("{TOKEN_VAR}=");
    for (pid, token) in processes_with(&prefix) {
        let owner = token.rsplit_once('-').map(|(o, _)| o).unwrap_or_default();
        if !owner_alive(owner) {
            tracing::info!(pid, "ending a browser process left by an earlier run");
            // SAFETY: kill(2) of a process of this user that carries a driver token of a
            // jieyue process that no longer runs.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let owner = rest.rsplit_once('-').map(|(o, _)| o).unwrap_or_default();
        let mine = entry
            .metadata()
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == unsafe_uid())
            .unwrap_or(false);
        if mine && !owner_alive(owner) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn unsafe_uid() -> u32 {
    // SAFETY: getuid(2) has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// Processes of this user whose environment holds a variable starting with `prefix`:
/// (pid, the rest of that variable).
fn processes_with(prefix: &str) -> Vec<(i32, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        if let Some(rest) = env
            .split(|b| *b == 0)
            .find_map(|kv| kv.strip_prefix(prefix.as_bytes()))
        {
            found.push((pid, String::from_utf8_lossy(rest).into_owned()));
        }
    }
    found
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
    for (pid, theirs) in processes_with(&format!("{TOKEN_VAR}=")) {
        if theirs != token || parent_of(pid) != Some(me) {
            continue;
        }
        // SAFETY: signals and reaps a child of this process that descends from the driver
        // this process started (it carries the driver's token).
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            libc::waitpid(pid, std::ptr::null_mut(), 0);
        }
    }
}

/// The parent of a process, from /proc/PID/stat.
fn parent_of(pid: i32) -> Option<u32> {
    stat_field(pid, 4)
}

fn find_driver(kind: BrowserKind, explicit: Option<&Path>) -> Result<PathBuf, BrowserError> {
    let name = kind.driver_name();
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(BrowserError::NoDriver(crate::said!(
                "browser.no_given_driver",
                path = path.display().to_string()
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
        BrowserError::NoDriver(crate::said!(
            "browser.no_driver",
            name = name,
            firefox = if kind == BrowserKind::Firefox {
                " --firefox"
            } else {
                ""
            }
        ))
    })
}

pub(super) fn free_port() -> Result<u16, BrowserError> {
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
