//! The verdict of `jieyue status`: the renewal state of each service a record read, the
//! state overall, and the exit code that answers `--expect`.

use serde::Serialize;

use crate::locate::SwitchState;
use crate::outcome::{code, Outcome};
use crate::record::RunRecord;

/// What `status` reports: one line per renewal switch the script reads.
#[derive(Serialize)]
pub struct StatusReport {
    pub schema: &'static str,
    pub platform: String,
    pub account: Option<String>,
    pub checked_at: String,
    /// `on` when any service renews, `off` when all are off, else `unknown`.
    pub auto_renew: SwitchState,
    pub services: Vec<ServiceState>,
    pub exit_code: i32,
    pub message: String,
    pub evidence_dir: String,
}

#[derive(Serialize)]
pub struct ServiceState {
    pub step: usize,
    pub target: String,
    pub auto_renew: SwitchState,
    pub evidence: Vec<String>,
}

/// The verdict on a finished status run; `expect` is the state the person wants to see.
pub fn status_report(record: &RunRecord, expect: Option<SwitchState>) -> StatusReport {
    let mut services: Vec<ServiceState> = record
        .steps
        .iter()
        .filter_map(|s| {
            let state = s.switch_before.or(s.switch_after)?;
            Some(ServiceState {
                step: s.number,
                target: s.target.clone(),
                auto_renew: s.switch_after.unwrap_or(state),
                evidence: s.files.clone(),
            })
        })
        .collect();
    let nothing = record.outcome == Outcome::NothingToCancel;
    if services.is_empty() && nothing {
        let last = record.steps.last();
        services.push(ServiceState {
            step: last.map(|s| s.number).unwrap_or(0),
            target: "no membership or renewal service (页面显示没有可取消的服务)".into(),
            auto_renew: SwitchState::Off,
            evidence: last.map(|s| s.files.clone()).unwrap_or_default(),
        });
    }
    let overall = if services.iter().any(|s| s.auto_renew == SwitchState::On) {
        SwitchState::On
    } else if !services.is_empty() && services.iter().all(|s| s.auto_renew == SwitchState::Off) {
        SwitchState::Off
    } else {
        SwitchState::Unknown
    };
    // Reading the state is the job: a page that says there is nothing to cancel answers it.
    let mut exit_code = if nothing { code::OK } else { record.exit_code };
    let mut message = record.message.clone();
    if exit_code == code::OK && overall == SwitchState::Unknown {
        exit_code = code::NOT_FOUND;
        message = "the renewal state could not be read: the script has no `switch_off` step, or its switch shows no state".into();
    }
    if let Some(want) = expect {
        if overall != want && exit_code == code::OK {
            exit_code = code::NOT_FOUND;
            message = format!(
                "auto-renew is {}, expected {} (自动续费状态与预期不符)",
                overall.as_str(),
                want.as_str()
            );
        } else if overall != want {
            message = format!("{message}; expected auto-renew {}", want.as_str());
        }
    }
    StatusReport {
        schema: "jieyue.status/1",
        platform: record.platform.clone(),
        account: record.account.clone(),
        checked_at: record.ended_at.clone().unwrap_or_default(),
        auto_renew: overall,
        services,
        exit_code,
        message,
        evidence_dir: record.evidence_dir.clone(),
    }
}
