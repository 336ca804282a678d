//! How a run ends, and the exit code of each ending: the one table the command line,
//! batch runs, `status` and `locate --html` all answer from (DESIGN.md §5).

use serde::{Deserialize, Serialize};

/// Exit codes. A batch exits with the highest code of its jobs.
pub mod code {
    /// Done, already off, or (dry-run) every target up to the first change found.
    pub const OK: i32 = 0;
    /// `evidence verify`: a file was altered, removed or added.
    pub const ALTERED: i32 = 1;
    /// The script, the arguments or a batch file is invalid: nothing was started.
    pub const INVALID: i32 = 2;
    /// The browser, the driver, the site or the evidence folder failed.
    pub const BROWSER: i32 = 3;
    /// A target was not found, an expectation failed, or nothing is there to cancel.
    pub const NOT_FOUND: i32 = 4;
    /// A verification code is needed and none is available.
    pub const CODE_NEEDED: i32 = 5;
    /// The safety guard refused a click.
    pub const REFUSED: i32 = 6;
    /// Stopped by Ctrl-C or SIGTERM.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still running (a record read mid-run, or after a crash).
    InProgress,
    /// Renewal was on and is now off / every step done.
    Done,
    /// Renewal was already off: nothing changed.
    AlreadyOff,
    /// Dry-run: every target up to and including the first change was found.
    Located,
    NotFound,
    /// The page says there is no membership or renewal to turn off (exit code 4).
    NothingToCancel,
    ExpectationFailed,
    CodeNeeded,
    Refused,
    BrowserError,
    /// The platform's site could not be reached, or answered with an HTTP error (exit 3).
    SiteError,
    /// The evidence folder could not be written: the run stopped before anything more could
    /// change (exit 3).
    EvidenceFailed,
    /// Stopped by Ctrl-C or SIGTERM (exit code 130).
    Interrupted,
}

impl Outcome {
    /// The name of this ending as `run.json` and `--json` write it (`already_off`); the
    /// catalogue's keys use it too.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::InProgress => "in_progress",
            Outcome::Done => "done",
            Outcome::AlreadyOff => "already_off",
            Outcome::Located => "located",
            Outcome::NotFound => "not_found",
            Outcome::NothingToCancel => "nothing_to_cancel",
            Outcome::ExpectationFailed => "expectation_failed",
            Outcome::CodeNeeded => "code_needed",
            Outcome::Refused => "refused",
            Outcome::BrowserError => "browser_error",
            Outcome::SiteError => "site_error",
            Outcome::EvidenceFailed => "evidence_failed",
            Outcome::Interrupted => "interrupted",
        }
    }

    /// The exit code of this ending.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Done | Outcome::AlreadyOff | Outcome::Located | Outcome::InProgress => {
                code::OK
            }
            Outcome::BrowserError | Outcome::SiteError | Outcome::EvidenceFailed => code::BROWSER,
            Outcome::NotFound | Outcome::NothingToCancel | Outcome::ExpectationFailed => {
                code::NOT_FOUND
            }
            Outcome::CodeNeeded => code::CODE_NEEDED,
            Outcome::Refused => code::REFUSED,
            Outcome::Interrupted => code::INTERRUPTED,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_the_one_the_record_writes() {
        for o in [
            Outcome::InProgress,
            Outcome::Done,
            Outcome::AlreadyOff,
            Outcome::Located,
            Outcome::NotFound,
            Outcome::NothingToCancel,
            Outcome::ExpectationFailed,
            Outcome::CodeNeeded,
            Outcome::Refused,
            Outcome::BrowserError,
            Outcome::SiteError,
            Outcome::EvidenceFailed,
            Outcome::Interrupted,
        ] {
            assert_eq!(serde_json::to_value(o).unwrap(), o.name());
        }
    }
}
