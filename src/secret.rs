//! Secrets: values that must never reach a log, report, file name or error message.
//!
//! Every writer takes a [`Redactor`] and passes its text through it; the redactor knows each
//! secret value in the forms it may appear in (plain, URL-encoded, JSON- and HTML-escaped).

use std::fmt;

/// A secret value. Its `Debug` and `Display` print `***`, so a stray `{:?}` cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value, for the one place that needs it: typing it into the page.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Replaces every known secret with `***` in any text on its way out.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    // Longest first, so a secret that contains another is replaced whole.
    needles: Vec<Secret>,
}

pub const MASK: &str = "***";

impl Redactor {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let mut needles: Vec<Secret> = Vec::new();
        for secret in secrets {
            let value = secret.expose();
            // One- and two-character secrets would mask ordinary text everywhere and say
            // nothing to an attacker anyway; the script loader refuses them.
            if value.chars().count() < 3 {
                continue;
            }
            for form in [
                value.to_string(),
                percent_encode(value),
                percent_encode(value).replace("%20", "+"),
                json_escape(value),
                html_escape::encode_double_quoted_attribute(value).into_owned(),
                html_escape::encode_text(value).into_owned(),
            ] {
                if !needles.iter().any(|n| n.expose() == form) {
                    needles.push(Secret(form));
                }
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.expose().len()));
        Redactor { needles }
    }

    pub fn add(&mut self, secret: &Secret) {
        let mut all = self.needles.clone();
        all.push(secret.clone());
        *self = Redactor::new(all.iter());
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.expose()) {
                out = out.replace(needle.expose(), MASK);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }
}

/// The secrets every log line is cleaned of: the log writer reads them, the command that
/// loads a script (or learns a code) adds to them.
static LOG_SECRETS: std::sync::RwLock<Redactor> = std::sync::RwLock::new(Redactor {
    needles: Vec::new(),
});

/// Keeps these secrets out of every log line from now on (`RUST_LOG=trace` included: the
/// WebDriver client's own tracing carries the commands it sends).
pub fn protect_logs(secrets: &Redactor) {
    let mut all = LOG_SECRETS.write().unwrap_or_else(|e| e.into_inner());
    for needle in &secrets.needles {
        if !all.needles.iter().any(|n| n == needle) {
            all.needles.push(needle.clone());
        }
    }
    all.needles
        .sort_by_key(|n| std::cmp::Reverse(n.expose().len()));
}

/// A log writer for `tracing_subscriber`: it holds one formatted event and writes it to
/// stderr, redacted, when the event is done.
pub struct LogWriter {
    buf: Vec<u8>,
}

pub fn log_writer() -> LogWriter {
    LogWriter { buf: Vec::new() }
}

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogWriter {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buf);
        let clean = LOG_SECRETS
            .read()
            .map(|r| r.redact(&text))
            .unwrap_or_else(|_| {
                "(a log line was dropped: the secret list was unreadable)\n".into()
            });
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), clean.as_bytes());
    }
}

fn percent_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn json_escape(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted.trim_matches('"').to_string()
}

/// `13812345678` → `138****5678`, `alice@example.com` → `al***@example.com`: enough for the
/// person to recognise their account, not enough to identify it from a report.
pub fn mask_account(account: &str) -> String {
    let chars: Vec<char> = account.chars().collect();
    if let Some(at) = account.find('@') {
        let (local, domain) = account.split_at(at);
        let keep: String = local.chars().take(2).collect();
        return format!("{keep}***{domain}");
    }
    if chars.len() >= 7 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        return format!("{head}****{tail}");
    }
    match chars.first() {
        Some(first) => format!("{first}***"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_plain_encoded_and_escaped_forms() {
        let r = Redactor::new([&Secret::new("p@ss word\"1")]);
        assert_eq!(r.redact("pw=p@ss word\"1;"), "pw=***;");
        assert_eq!(r.redact("pw=p%40ss%20word%221"), "pw=***");
        assert_eq!(r.redact("pw=p%40ss+word%221"), "pw=***");
        assert_eq!(r.redact(r#"{"v":"p@ss word\"1"}"#), r#"{"v":"***"}"#);
        assert_eq!(r.redact(r#"value="p@ss word&quot;1""#), r#"value="***""#);
    }

    #[test]
    fn debug_never_shows_the_value() {
        assert_eq!(
            format!("{:?} {}", Secret::new("hunter2"), Secret::new("x")),
            "*** ***"
        );
    }

    #[test]
    fn masks_phone_and_email() {
        assert_eq!(mask_account("13812345678"), "138****5678");
        assert_eq!(mask_account("alice@example.com"), "al***@example.com");
        assert_eq!(mask_account("bob"), "b***");
    }
}
