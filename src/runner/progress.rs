//! A live line per step on stderr, so a person sees where the run is.

use std::io::Write;

use crate::record::StepRecord;
use crate::script::Step;
use crate::secret::Redactor;

pub struct Progress {
    enabled: bool,
    total: usize,
    redactor: Redactor,
}

impl Progress {
    pub fn new(enabled: bool, total: usize, redactor: Redactor) -> Self {
        Progress {
            enabled,
            total,
            redactor,
        }
    }

    fn head(&self, step: &Step) -> String {
        let width = self.total.to_string().len();
        format!(
            "[{:>width$}/{}] {:<10} {}",
            step.number,
            self.total,
            step.kind(),
            self.redactor.redact(&step.action.describe()),
        )
    }

    pub fn begin(&self, step: &Step) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{} … ", self.head(step));
            let _ = err.flush();
        }
    }

    pub fn line(&self, step: &Step, status: &str, record: Option<&StepRecord>) {
        if !self.enabled {
            return;
        }
        let status = status_words(status);
        let mut err = std::io::stderr().lock();
        match record {
            // `begin` already printed the head.
            Some(r) => {
                let _ = write!(err, "{status} ({} ms)", r.duration_ms);
                if let Some(found) = &r.found {
                    let _ = write!(err, " → “{}” `{}`", found.text, found.location);
                    if let Some(drift) = &found.drift {
                        let note = crate::said!("note.drift", drift = drift, css = &found.css);
                        let _ = write!(err, "\n      {}", note.here());
                    }
                }
                if let Some(m) = r.said.as_ref().or(r.message.as_ref()) {
                    let _ = write!(err, "\n      {}", self.redactor.redact(m));
                }
                let _ = writeln!(err);
            }
            None => {
                let _ = writeln!(err, "{} … {status}", self.head(step));
            }
        }
    }

    pub fn fail_start(&self, message: &str) {
        if self.enabled {
            let _ = writeln!(std::io::stderr(), "{message}");
        }
    }
}

/// A step's ending in the person's language (the catalogue's `step.*`).
fn status_words(status: &str) -> String {
    let key = match status {
        "ok" => "step.ok",
        "FAILED" => "step.failed",
        "already off" => "step.already_off",
        "interrupted" => "step.interrupted",
        "located (dry-run: not clicked)" => "step.located",
        "not reached (follows a change)" => "step.not_reached",
        "not run (evidence cannot be written)" => "step.not_run",
        "skipped (already logged in)" => "step.skipped_logged_in",
        "skipped (already off)" => "step.skipped_off",
        other => return other.to_string(),
    };
    rust_i18n::t!(key).to_string()
}
