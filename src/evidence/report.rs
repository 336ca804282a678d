//! `report.html`: one page a person opens offline — what was done, when, the screenshots
//! inlined, and the hashes. It loads nothing: a content policy forbids every request.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::manifest::Manifest;
use crate::record::{Outcome, RunRecord, StepRecord, StepStatus};
use crate::secret::Redactor;

use super::wording::{
    local_time, outcome_en, outcome_zh, proves_off, state_en, state_zh, status_en, status_zh, zone,
};

pub const REPORT: &str = "report.html";

const STYLE: &str = r#"
body{font:15px/1.55 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f6f3;color:#1c1c1c}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
.sub{color:#666;margin:0 0 18px}
.outcome{padding:14px 18px;border-radius:8px;font-size:18px;margin:16px 0;border-left:6px solid}
.good{background:#e8f5e9;border-color:#2e7d32}.bad{background:#fdecea;border-color:#c62828}.info{background:#fff8e1;border-color:#f9a825}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#666}dl.facts dd{margin:0}
.switch{display:flex;gap:12px;align-items:center;font-size:17px;margin:14px 0}
.pill{padding:3px 12px;border-radius:14px;background:#eee}.pill.on{background:#ffcdd2}.pill.off{background:#c8e6c9}
section.step{background:#fff;border-radius:8px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
section.step h3{margin:0 0 6px;font-size:16px}
.st{font-size:13px;padding:1px 8px;border-radius:10px;background:#eee;margin-left:8px}
.st.failed,.st.refused{background:#ffcdd2}.st.ok{background:#c8e6c9}
.meta{color:#555;font-size:13px;word-break:break-all}
figure{margin:10px 0 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:12px;color:#666;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:12px;background:#fff}
td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
code,.hash{font-family:"Noto Sans Mono CJK SC",monospace;word-break:break-all}
footer{color:#666;font-size:13px;margin-top:24px}
.lang{position:absolute;opacity:0}
nav.langs{float:right;font-size:14px}nav.langs label{cursor:pointer;padding:2px 8px;border-radius:10px}
#lang-zh:checked~main .en,#lang-en:checked~main .zh{display:none}
#lang-zh:checked~main label[for=lang-zh],#lang-en:checked~main label[for=lang-en]{background:#1c1c1c;color:#fff}
"#;

/// The same words in both languages; the switch at the top of the page shows one. Both
/// arguments are HTML already.
fn both(zh: &str, en: &str) -> String {
    format!(r#"<span class="zh">{zh}</span><span class="en">{en}</span>"#)
}

/// The page, with every PNG named in the record read from `dir` and inlined. The text is
/// redacted before the images go in, so image data is never rewritten.
pub fn render(record: &RunRecord, manifest: &Manifest, dir: &Path, redactor: &Redactor) -> String {
    render_with(record, manifest, dir, redactor, &[])
}

/// The page with the re-checks made later (`status --append`), each with its screenshots.
pub fn render_with(
    record: &RunRecord,
    manifest: &Manifest,
    dir: &Path,
    redactor: &Redactor,
    rechecks: &[RunRecord],
) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let mut images: Vec<std::path::PathBuf> = Vec::new();
    write_summary(&mut h, record);
    for step in &record.steps {
        write_step(&mut h, step, manifest, dir, &mut images);
    }
    for check in rechecks {
        let state = super::recheck::state_of(check);
        let time = text(&local_time(&check.started_at)).into_owned();
        let _ = writeln!(
            h,
            "<h2 class=\"recheck\">{}</h2>",
            both(
                &format!("复查 {time} — 自动续费：{}", state_zh(Some(state))),
                &format!("Re-check {time} — auto-renew: {}", state_en(Some(state)))
            )
        );
        for step in &check.steps {
            write_step(&mut h, step, manifest, dir, &mut images);
        }
    }
    write_hashes(&mut h, record, manifest);
    let text = redactor.redact(&h);
    drop(h);
    inline_images(&text, &images)
}

/// The class of the outcome box: `good` only when the run proves renewal is off.
fn outcome_class(record: &RunRecord) -> &'static str {
    if proves_off(record) {
        "good"
    } else if matches!(
        record.outcome,
        Outcome::Located | Outcome::InProgress | Outcome::Interrupted | Outcome::NothingToCancel
    ) {
        "info"
    } else {
        "bad"
    }
}

/// The head of the page, the outcome, the facts of the run and the switch before and after.
fn write_summary(h: &mut String, record: &RunRecord) {
    let class = outcome_class(record);
    let tz = zone(&record.started_at);
    // The page opens in the language the person reads in the terminal; 中文 otherwise.
    let english = &*rust_i18n::locale() == "en";
    let end = record.ended_at.as_deref().map(local_time);
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>解约证据 · {platform}</title><style>{STYLE}</style></head><body>
<input type="radio" name="lang" id="lang-zh" class="lang"{zh_checked}><input type="radio" name="lang" id="lang-en" class="lang"{en_checked}><main>
<nav class="langs"><label for="lang-zh">中文</label><label for="lang-en">English</label></nav>
<h1>{title}</h1>
<p class="sub">{platform} · jieyue {version}</p>
<p class="outcome {class}" id="outcome">{outcome}<br><small>{message}</small></p>
<dl class="facts">
<dt>{l_platform}</dt><dd id="platform">{platform}（{carrier}）</dd>
<dt>{l_account}</dt><dd id="account">{account}</dd>
<dt>{l_mode}</dt><dd>{mode}</dd>
<dt>{l_time}</dt><dd>{start} — {end} ({tz})</dd>
<dt>{l_script}</dt><dd><code>{script}</code></dd>
<dt>{l_exit}</dt><dd>{exit}</dd>
</dl>
<div class="switch" id="switch">{l_switch} <span class="pill {before_class}">{before}</span> → <span class="pill {after_class}">{after}</span></div>
<h2>{l_timeline}</h2>
"#,
        zh_checked = if english { "" } else { " checked" },
        en_checked = if english { " checked" } else { "" },
        title = both("解约证据报告", "Evidence report"),
        platform = text(&record.platform),
        version = text(&record.tool_version),
        outcome = both(&text(&outcome_zh(record)), &text(&outcome_en(record))),
        message = text(&record.message),
        l_platform = both("平台", "Platform"),
        l_account = both("账号", "Account"),
        l_mode = both("方式", "Mode"),
        l_time = both("时间", "Time"),
        l_script = both("脚本", "Script"),
        l_exit = both("结果代码", "Exit code"),
        l_switch = both("自动续费：", "Auto-renew:"),
        l_timeline = both("经过", "Timeline"),
        carrier = text(&record.carrier),
        account = match record.account.as_deref() {
            Some(a) => text(a).into_owned(),
            None => both("（脚本未给出）", "(not given by the script)"),
        },
        mode = text(&record.mode),
        start = text(&local_time(&record.started_at)),
        end = match &end {
            Some(t) => text(t).into_owned(),
            None => both("（未结束）", "(not finished)"),
        },
        script = text(&record.script),
        exit = record.exit_code,
        before_class = pill(record.switch_before),
        before = both(
            state_zh(record.switch_before),
            state_en(record.switch_before)
        ),
        after_class = pill(record.switch_after),
        after = both(state_zh(record.switch_after), state_en(record.switch_after)),
    );
}

/// One step of the timeline: its heading, what it found and its screenshots.
fn write_step(
    h: &mut String,
    step: &StepRecord,
    manifest: &Manifest,
    dir: &Path,
    images: &mut Vec<std::path::PathBuf>,
) {
    let status_class = match step.status {
        StepStatus::Ok | StepStatus::Located => "ok",
        StepStatus::Failed => "failed",
        StepStatus::Refused => "refused",
        _ => "",
    };
    let _ = write!(
        h,
        r#"<section class="step" id="step-{n}"><h3>{n}. {time} <code>{kind}</code> {target}<span class="st {status_class}">{status}</span></h3>"#,
        n = step.number,
        time = text(&local_time(&step.started_at)),
        kind = text(&step.kind),
        target = text(&step.target),
        status = both(status_zh(step.status), status_en(step.status)),
    );
    let _ = writeln!(h, r#"<div class="meta">{}</div>"#, step_meta(step));
    write_screenshots(h, step, manifest, dir, images);
    h.push_str("</section>\n");
}

/// The lines under a step's heading: the element found, the switch, the message, the page.
fn step_meta(step: &StepRecord) -> String {
    let mut meta = Vec::new();
    if let Some(found) = &step.found {
        meta.push(format!(
            "{} “{}” <code>{}</code> (score {}, {})",
            both("找到：", "found:"),
            text(&found.text),
            text(&found.location),
            found.score,
            found.intent.as_str()
        ));
        if let Some(drift) = &found.drift {
            meta.push(format!("{} {}", both("注意：", "note:"), text(drift)));
        }
    }
    if step.switch_before.is_some() || step.switch_after.is_some() {
        meta.push(format!(
            "{} {} → {}",
            both("开关：", "switch:"),
            both(state_zh(step.switch_before), state_en(step.switch_before)),
            both(state_zh(step.switch_after), state_en(step.switch_after))
        ));
    }
    if let Some(m) = &step.message {
        meta.push(text(m).into_owned());
    }
    if let Some(url) = &step.url {
        meta.push(format!("{} {}", both("网址：", "URL:"), text(url)));
    }
    meta.push(format!("{} ms", step.duration_ms));
    meta.join("<br>")
}

/// A figure for each of the step's PNGs; the image goes in later, at its placeholder.
fn write_screenshots(
    h: &mut String,
    step: &StepRecord,
    manifest: &Manifest,
    dir: &Path,
    images: &mut Vec<std::path::PathBuf>,
) {
    for file in step.files.iter().filter(|f| f.ends_with(".png")) {
        let sha = manifest
            .entries
            .iter()
            .find(|e| &e.file == file)
            .map(|e| e.sha256.as_str())
            .unwrap_or("");
        if dir.join(file).is_file() {
            images.push(dir.join(file));
            let _ = writeln!(
                h,
                r#"<figure><img alt="{alt}" src="data:image/png;base64,{mark}"><figcaption>{file} · sha256 <span class="hash">{sha}</span></figcaption></figure>"#,
                alt = attr(file),
                mark = format_args!("\u{0}jieyue-image-{}\u{0}", images.len() - 1),
                file = text(file),
            );
        } else {
            let _ = writeln!(
                h,
                "<p class=\"meta\">{} {}</p>",
                text(file),
                both("缺失", "is missing")
            );
        }
    }
}

/// The table of files and hashes, the chain head and the footer.
fn write_hashes(h: &mut String, record: &RunRecord, manifest: &Manifest) {
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"hashes\"><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        both("文件与哈希", "Files and SHA-256"),
        both("文件", "file"),
        both("字节", "bytes")
    );
    for e in &manifest.entries {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"hash\">{}</td></tr>",
            text(&e.file),
            e.bytes,
            e.sha256
        );
    }
    let head = manifest
        .entries
        .last()
        .map(|e| e.chain.as_str())
        .unwrap_or("");
    let _ = write!(
        h,
        r#"</table>
<p class="meta">{l_head} <span class="hash" id="chain-head">{head}</span></p>
<footer>{l_chain}
{l_check} <code>jieyue evidence verify {dir}</code></footer>
</main></body></html>
"#,
        l_head = both("链头：", "chain head:"),
        l_chain = both(
            "每个文件的 SHA-256 都串联记录在 manifest.json 中（report.html 与 complaint.md 最后写入，它们的哈希也在其中）。",
            "The SHA-256 of every file is chained in manifest.json (report.html and complaint.md are written last; their hashes are in it too)."
        ),
        l_check = both("核对命令：", "To check that nothing was changed:"),
        dir = text(&record.evidence_dir),
    );
}

/// Each placeholder replaced by its image, in one pass, each read and encoded in turn.
fn inline_images(text: &str, images: &[std::path::PathBuf]) -> String {
    let sizes: usize = images
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len() as usize * 4 / 3 + 4)
        .sum();
    let mut out = String::with_capacity(text.len() + sizes);
    let mut rest = text;
    for (i, path) in images.iter().enumerate() {
        let mark = format!("\u{0}jieyue-image-{i}\u{0}");
        let Some((before, after)) = rest.split_once(&mark) else {
            break;
        };
        out.push_str(before);
        if let Ok(png) = std::fs::read(path) {
            base64::engine::general_purpose::STANDARD.encode_string(&png, &mut out);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn pill(state: Option<crate::locate::SwitchState>) -> &'static str {
    match state {
        Some(crate::locate::SwitchState::On) => "on",
        Some(crate::locate::SwitchState::Off) => "off",
        _ => "",
    }
}
