//! `complaint.md` (投诉材料): a draft in Chinese, facts only, generated from the run record
//! and the manifest. It says plainly when the run did not end with renewal off.

use std::fmt::Write as _;

use super::manifest::Manifest;
use super::wording::{local_time, outcome_zh, proves_off, state_zh, status_zh, zone};
use crate::record::{Outcome, RunRecord, StepStatus};

pub const COMPLAINT: &str = "complaint.md";

/// Markdown table cells: no line breaks, no bars.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render(record: &RunRecord, manifest: &Manifest) -> String {
    render_with(record, manifest, &[])
}

/// The complaint with the re-checks made later (`status --append`): each one a line of its
/// own, and renewal found on again said at the top, as the main fact.
pub fn render_with(record: &RunRecord, manifest: &Manifest, rechecks: &[RunRecord]) -> String {
    let mut m = String::with_capacity(8 * 1024);
    write_basics(&mut m, record);
    // Renewal found on again is the main fact: before everything else but the title.
    let mut back_on = String::new();
    write_back_on(&mut back_on, rechecks);
    if let Some(at) = m.find("## 一、基本情况") {
        m.insert_str(at, &back_on);
    }
    write_outcome(&mut m, record);
    write_rechecks(&mut m, rechecks);
    write_timeline(&mut m, record);
    write_files(&mut m, record, manifest);
    write_legal_basis(&mut m);
    write_channels(&mut m);
    write_also_check(&mut m);
    m
}

/// The title, the note on how the draft was made, and 一、基本情况.
fn write_basics(m: &mut String, record: &RunRecord) {
    let tz = zone(&record.started_at);
    let start = local_time(&record.started_at);
    let end = record
        .ended_at
        .as_deref()
        .map(local_time)
        .unwrap_or_else(|| "（运行未正常结束）".into());
    let account = record
        .account
        .as_deref()
        .unwrap_or("（请填写您的账号，建议只写前三位和后四位）");

    let _ = writeln!(m, "# 投诉材料（草稿）：{}\n", record.platform);
    let _ = writeln!(
        m,
        "> 本材料由 jieyue 根据本次操作的记录（run.json）自动生成，只陈述记录到的事实。提交前请核对，并补充您的扣费记录（订单号、扣款时间、金额）和您的诉求。\n"
    );

    let _ = writeln!(m, "## 一、基本情况\n");
    let _ = writeln!(
        m,
        "- 平台：{}（{}）",
        record.platform,
        carrier_zh(&record.carrier)
    );
    let _ = writeln!(m, "- 账号：{account}");
    let _ = writeln!(m, "- 操作时间：{start} 至 {end}（{tz}）");
    let _ = writeln!(
        m,
        "- 操作方式：本人使用自己的账号，通过浏览器按平台页面逐步操作（工具 jieyue {}，{}），每一步均截图并保存页面内容。",
        record.tool_version,
        match record.mode.as_str() {
            "dry-run" => "演练模式，未做任何更改",
            "status" => "只读检查，未做任何更改",
            _ => "实际操作",
        }
    );
    let _ = writeln!(
        m,
        "- 自动续费状态：操作前为“{}”，操作后为“{}”。\n",
        state_zh(record.switch_before),
        state_zh(record.switch_after)
    );
}

/// A re-check that found renewal on: the first thing the reader sees.
fn write_back_on(m: &mut String, rechecks: &[RunRecord]) {
    let on: Vec<&RunRecord> = rechecks
        .iter()
        .filter(|c| super::recheck::state_of(c) == crate::locate::SwitchState::On)
        .collect();
    if let Some(c) = on.last() {
        let _ = writeln!(
            m,
            "> **复查发现：{} 自动续费仍为“开启”。** 平台在本次操作之后仍保持或重新开启了自动续费，这是本投诉的主要事实；复查的截图和记录见下文“复查”及证据文件。\n",
            local_time(&c.started_at)
        );
    }
}

/// 复查: every re-check, its time and the state it read.
fn write_rechecks(m: &mut String, rechecks: &[RunRecord]) {
    if rechecks.is_empty() {
        return;
    }
    let _ = writeln!(m, "### 复查\n");
    for c in rechecks {
        // The last screenshots show the state read; every file is in the table below.
        let shots: Vec<&str> = c
            .steps
            .iter()
            .flat_map(|s| s.files.iter().map(String::as_str))
            .filter(|f| f.ends_with(".png"))
            .collect();
        let files = &shots[shots.len().saturating_sub(2)..];
        let _ = writeln!(
            m,
            "- 复查：{}，自动续费为“{}”（只读检查，未做任何更改；截图：{}）",
            local_time(&c.started_at),
            state_zh(Some(super::recheck::state_of(c))),
            if files.is_empty() {
                "无".to_string()
            } else {
                files.join("、")
            }
        );
    }
    m.push('\n');
}

/// 二、结果: the outcome, and a plain note when it is not proof that renewal is off.
fn write_outcome(m: &mut String, record: &RunRecord) {
    let _ = writeln!(m, "## 二、结果\n");
    let _ = writeln!(m, "{}\n", outcome_zh(record));
    if !proves_off(record) {
        let _ = writeln!(m, "{}\n", honest_note(record));
    }
}

/// 三、操作经过: one table row per step.
fn write_timeline(m: &mut String, record: &RunRecord) {
    let _ = writeln!(m, "## 三、操作经过\n");
    let _ = writeln!(
        m,
        "| 时间 | 步骤 | 内容 | 结果 | 页面所示 / 说明 | 证据文件 |"
    );
    let _ = writeln!(m, "|---|---|---|---|---|---|");
    for s in &record.steps {
        let mut said = Vec::new();
        if let Some(f) = &s.found {
            said.push(format!("“{}”", f.text));
        }
        if s.switch_before.is_some() || s.switch_after.is_some() {
            said.push(format!(
                "开关 {} → {}",
                state_zh(s.switch_before),
                state_zh(s.switch_after)
            ));
        }
        if let Some(msg) = &s.message {
            said.push(msg.clone());
        }
        let _ = writeln!(
            m,
            "| {} | {} | `{}` {} | {} | {} | {} |",
            local_time(&s.started_at),
            s.number,
            s.kind,
            cell(&s.target),
            status_zh(s.status),
            cell(&said.join("；")),
            s.files.join("<br>")
        );
    }
}

/// 四、证据文件及 SHA-256: every file's hash and the chain head.
fn write_files(m: &mut String, record: &RunRecord, manifest: &Manifest) {
    let _ = writeln!(m, "\n## 四、证据文件及 SHA-256\n");
    let _ = writeln!(
        m,
        "以下文件与本材料放在同一文件夹中。每个文件的 SHA-256 依次串联记录在 manifest.json 中，任何改动、删除或添加都能被查出：`jieyue evidence verify {}`。\n",
        record.evidence_dir
    );
    let _ = writeln!(m, "| 文件 | SHA-256 |");
    let _ = writeln!(m, "|---|---|");
    for e in &manifest.entries {
        let _ = writeln!(m, "| {} | `{}` |", cell(&e.file), e.sha256);
    }
    if let Some(last) = manifest.entries.last() {
        let _ = writeln!(m, "\n链头（chain head）：`{}`", last.chain);
    }
}

/// 五、法律依据: the law that forbids hindering a cancellation.
fn write_legal_basis(m: &mut String) {
    let _ = writeln!(m, "\n## 五、法律依据\n");
    let _ = writeln!(
        m,
        "《中华人民共和国消费者权益保护法》第二十六条：经营者不得以格式条款、通知、声明、店堂告示等方式，作出排除或者限制消费者权利、减轻或者免除经营者责任、加重消费者责任等对消费者不公平、不合理的规定，不得利用格式条款并借助技术手段强制交易。\n"
    );
    let _ = writeln!(
        m,
        "据此，平台应当提供清晰、可用的取消自动续费途径，不得以隐藏入口、诱导按钮或拖延处理等方式妨碍消费者取消；关闭后仍扣取的费用应予退还。\n"
    );
}

/// 六、投诉渠道: where to file the complaint, and what to attach.
fn write_channels(m: &mut String) {
    let _ = writeln!(m, "## 六、投诉渠道\n");
    let _ = writeln!(
        m,
        "1. 先通过平台内置客服提交工单，写明“要求立即取消会员并终止自动续费”，并保留回复截图。"
    );
    let _ = writeln!(m, "2. 全国12315平台（www.12315.cn，或拨打 12315）。");
    let _ = writeln!(m, "3. 黑猫投诉（tousu.sina.com.cn）。\n");
    let _ = writeln!(
        m,
        "提交时附上本文件夹中的截图（按编号顺序）、report.html 和 manifest.json。\n"
    );
}

/// 七、请同时检查: the payment channels that may still charge, and a later re-check.
fn write_also_check(m: &mut String) {
    let _ = writeln!(m, "## 七、请同时检查\n");
    let _ = writeln!(
        m,
        "平台可能延迟 1–2 小时同步状态，也可能通过支付渠道继续扣款。请同时检查并关闭："
    );
    let _ = writeln!(
        m,
        "- 微信“支付-自动续费”（我 → 服务 → 钱包 → 支付设置 → 自动续费）"
    );
    let _ = writeln!(
        m,
        "- 支付宝“我的-自动扣费”（我的 → 设置 → 支付设置 → 免密支付/自动扣款）"
    );
    let _ = writeln!(
        m,
        "- 几小时后再检查一次：`jieyue status <脚本> --expect off`（自动续费又被打开时以代码 4 退出）。"
    );
}

fn carrier_zh(carrier: &str) -> &str {
    match carrier {
        "web" => "网页端",
        "h5" => "移动端 H5",
        "mini" => "小程序",
        other => other,
    }
}

/// What the person should know when this run is not proof that renewal is off.
fn honest_note(record: &RunRecord) -> String {
    let failed = record
        .steps
        .iter()
        .find(|s| matches!(s.status, StepStatus::Failed | StepStatus::Refused));
    let detail = failed
        .and_then(|s| s.message.clone())
        .unwrap_or_else(|| record.message.clone());
    match record.outcome {
        Outcome::Refused => format!(
            "**注意：本次没有取消成功。** 工具为避免误点诱导按钮而停止（{detail}）。这本身可以作为平台取消入口不清晰的证据；请人工完成取消，或在投诉中说明。"
        ),
        Outcome::Located => "**注意：这是演练或只读检查，不是取消操作的证明。**".into(),
        Outcome::NothingToCancel => format!(
            "页面原文：{detail}。如果此后仍被扣费，这份记录可以证明扣费时账号没有生效中的服务。"
        ),
        Outcome::SiteError => format!(
            "**注意：本次没有取消成功，原因是平台网站无法访问或出错**（{detail}）。这不说明取消入口被隐藏。请稍后再试；网站在取消时无法使用，本身也可以作为投诉的内容。"
        ),
        Outcome::InProgress | Outcome::Interrupted => {
            "**注意：本次运行被中断，记录不完整。** 以上只包含中断前已保存的内容。".into()
        }
        _ => format!("**注意：本次没有取消成功。** 原因：{detail}。请人工完成取消，并保留截图。"),
    }
}
