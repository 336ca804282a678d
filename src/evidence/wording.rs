//! Sentences a person reads in the report and the complaint, from the run record alone.

use crate::locate::SwitchState;
use crate::record::{Outcome, RunRecord, StepRecord, StepStatus};

/// `2026-11-25T14:03:20.123+08:00` → `2026-11-25 14:03:20`.
pub fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// `UTC+08:00`, the zone of the record's times.
pub fn zone(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| format!("UTC{}", t.format("%:z")))
        .unwrap_or_default()
}

pub fn state_zh(state: Option<SwitchState>) -> &'static str {
    match state {
        Some(SwitchState::On) => "开启",
        Some(SwitchState::Off) => "关闭",
        Some(SwitchState::Unknown) | None => "未读到",
    }
}

pub fn state_en(state: Option<SwitchState>) -> &'static str {
    match state {
        Some(SwitchState::On) => "on",
        Some(SwitchState::Off) => "off",
        Some(SwitchState::Unknown) | None => "not read",
    }
}

pub fn status_en(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Ok => "ok",
        StepStatus::Located => "located (dry-run, not clicked)",
        StepStatus::SkippedAlreadyOff => "skipped (already off)",
        StepStatus::SkippedLoggedIn => "skipped (already logged in)",
        StepStatus::NotReached => "not reached (follows a change)",
        StepStatus::Failed => "failed",
        StepStatus::Refused => "refused by the safety guard",
    }
}

/// The outcome in one English sentence: the catalogue's, whatever the terminal speaks.
pub fn outcome_en(record: &RunRecord) -> String {
    let key = format!("outcome.{}", record.outcome.name());
    rust_i18n::t!(&key, locale = "en").to_string()
}

pub fn status_zh(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Ok => "完成",
        StepStatus::Located => "已找到（演练，未点击）",
        StepStatus::SkippedAlreadyOff => "跳过（已是关闭状态）",
        StepStatus::SkippedLoggedIn => "跳过（已登录）",
        StepStatus::NotReached => "未执行（在更改之后）",
        StepStatus::Failed => "失败",
        StepStatus::Refused => "安全保护拒绝点击",
    }
}

/// Whether the run is proof that renewal is off now.
pub fn proves_off(record: &RunRecord) -> bool {
    record.outcome == Outcome::AlreadyOff
        || (record.outcome == Outcome::Done && record.switch_after == Some(SwitchState::Off))
}

fn failed_step(record: &RunRecord) -> Option<&StepRecord> {
    record
        .steps
        .iter()
        .find(|s| matches!(s.status, StepStatus::Failed | StepStatus::Refused))
}

/// The outcome in one Chinese sentence.
pub fn outcome_zh(record: &RunRecord) -> String {
    let end = record
        .ended_at
        .as_deref()
        .map(local_time)
        .unwrap_or_default();
    let at_step = |s: Option<&StepRecord>| {
        s.map(|s| format!("第 {} 步（{} {}）", s.number, s.kind, s.target))
            .unwrap_or_else(|| "开始时".into())
    };
    let step = failed_step(record);
    match record.outcome {
        Outcome::Done if record.switch_before == Some(SwitchState::On) => format!(
            "自动续费已关闭：{end} 操作完成，操作前为“开启”，操作后为“{}”。",
            state_zh(record.switch_after)
        ),
        Outcome::Done => format!("全部步骤已于 {end} 完成。"),
        Outcome::AlreadyOff => {
            format!("自动续费本来就是关闭的：{end} 检查时为“关闭”，本次没有做任何更改。")
        }
        Outcome::Located if record.mode == "status" => format!(
            "只读检查：{end} 时自动续费为“{}”，没有点击任何按钮。",
            state_zh(record.switch_before)
        ),
        Outcome::Located => format!(
            "这是一次演练（dry-run）：找到了所有按钮，没有点击任何会做出更改的按钮（自动续费当时为“{}”）。它不能证明已经取消。",
            state_zh(record.switch_before)
        ),
        Outcome::NotFound => format!(
            "未完成：在{}没有找到要点的入口，平台可能隐藏或更改了它。",
            at_step(step)
        ),
        Outcome::NothingToCancel => format!(
            "没有可取消的服务：{end} 检查时，页面显示该账号没有生效中的会员或自动续费。"
        ),
        Outcome::ExpectationFailed => format!(
            "未完成：在{}，页面没有显示预期的结果。",
            at_step(step)
        ),
        Outcome::CodeNeeded => format!(
            "未完成：{}需要验证码，本次没有提供。",
            at_step(step)
        ),
        Outcome::Refused => format!(
            "未完成：在{}，页面上能点的只有诱导或含义不清的按钮（如 退款、立即续费、升级），安全保护拒绝点击，没有做任何更改。",
            at_step(step)
        ),
        Outcome::BrowserError => format!("未完成：在{}浏览器或页面出错。", at_step(step)),
        Outcome::SiteError => format!(
            "未完成：在{}，平台网站无法访问或返回了错误（如 HTTP 500），不是找不到入口。",
            at_step(step)
        ),
        Outcome::EvidenceFailed => format!(
            "未完成：在{}，证据文件夹无法写入，为避免在没有记录的情况下更改账号，运行已停止。",
            at_step(step)
        ),
        Outcome::InProgress | Outcome::Interrupted => {
            "运行被中断：以下是中断前记录下来的内容。".into()
        }
    }
}
