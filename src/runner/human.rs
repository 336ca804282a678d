//! A person in the loop, at the terminal. One thread reads stdin for the whole run and hands
//! lines to whoever asks: a pause that ended because the page changed leaves no reader
//! behind to swallow the next answer.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::{mpsc, Mutex};

/// How long jieyue waits for a person (a code, a QR scan, a slider) before it gives up.
pub const PERSON_LIMIT: Duration = Duration::from_secs(600);

/// Whether someone can answer at the terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

fn lines() -> &'static Mutex<mpsc::UnboundedReceiver<String>> {
    static LINES: OnceLock<Mutex<mpsc::UnboundedReceiver<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let (tx, rx) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Mutex::new(rx)
    })
}

/// Shows `prompt` on stderr and waits for one line typed after it (earlier lines are
/// dropped). With `hidden`, the terminal does not echo what is typed. `None` when stdin
/// closes or nobody answers within `limit`.
pub async fn ask(prompt: &str, hidden: bool, limit: Duration) -> Option<String> {
    let mut rx = lines().lock().await;
    while rx.try_recv().is_ok() {}
    {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{prompt}");
        let _ = err.flush();
    }
    let _echo = hidden.then(EchoOff::new);
    let line = tokio::time::timeout(limit, rx.recv()).await.ok().flatten();
    if hidden {
        let _ = writeln!(std::io::stderr());
    }
    line.map(|l| l.trim().to_string())
}

/// Waits for Enter (any line) without a prompt of its own: for a pause that can also end
/// when the page changes.
pub async fn enter() -> Option<String> {
    let mut rx = lines().lock().await;
    while rx.try_recv().is_ok() {}
    rx.recv().await
}

/// Terminal echo off for as long as it lives (a typed password or code is not shown).
struct EchoOff(Option<libc::termios>);

impl EchoOff {
    fn new() -> EchoOff {
        // SAFETY: tcgetattr/tcsetattr on stdin with a termios the call itself filled in.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut t) != 0 {
                return EchoOff(None);
            }
            let old = t;
            t.c_lflag &= !libc::ECHO;
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t);
            EchoOff(Some(old))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(old) = self.0 {
            // SAFETY: restores the settings read in `new`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &old);
            }
        }
    }
}
