//! Verification codes from a person: a source named by the script, `--code`, or a prompt.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{human, StepFail};
use crate::said;
use crate::script::CodeSource;

/// Where the code comes from, in order: `--code`, the step's `from:`, a person at the
/// terminal (shown `question`, which names the screenshot to look at).
pub async fn obtain(
    from: Option<&CodeSource>,
    given: Option<&str>,
    prompt: &str,
    question: &str,
    deadline: Instant,
    step: usize,
) -> Result<String, StepFail> {
    if let Some(code) = given {
        return Ok(code.trim().to_string());
    }
    match from {
        Some(CodeSource::Env(name)) => match std::env::var(name) {
            Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
            _ => Err(StepFail::CodeNeeded(said!(
                "fail.code_env_empty",
                prompt = prompt,
                name = name
            ))),
        },
        Some(CodeSource::File(path)) => from_file(path, deadline, prompt).await,
        None if human::interactive() => {
            let hidden = is_password(prompt);
            match human::ask(question, hidden, human::PERSON_LIMIT).await {
                Some(code) if !code.is_empty() => Ok(code),
                _ => Err(StepFail::CodeNeeded(said!(
                    "fail.code_not_typed",
                    step = step,
                    prompt = prompt
                ))),
            }
        }
        None => Err(StepFail::CodeNeeded(said!(
            "fail.code_no_terminal",
            step = step,
            prompt = prompt
        ))),
    }
}

/// Waits for the file to appear and be non-empty (a phone-forwarding app may write it),
/// reads it, and removes it so the code is not used twice.
async fn from_file(path: &Path, deadline: Instant, prompt: &str) -> Result<String, StepFail> {
    let mut tick = tokio::time::interval(Duration::from_millis(25));
    loop {
        tick.tick().await;
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.trim().is_empty() {
                let _ = std::fs::remove_file(path);
                return Ok(text.trim().to_string());
            }
        }
        if Instant::now() >= deadline {
            return Err(StepFail::CodeNeeded(said!(
                "fail.code_file",
                prompt = prompt,
                path = path.display().to_string()
            )));
        }
    }
}

/// A prompt for a password is answered without echo.
pub fn is_password(prompt: &str) -> bool {
    let p = prompt.to_lowercase();
    p.contains("密码") || p.contains("password") || p.contains("口令")
}

/// Whether the code is one the platform sent by text message (the prompt names the phone).
pub fn is_sms(prompt: &str) -> bool {
    let p = prompt.to_lowercase();
    p.contains("短信") || p.contains("sms") || p.contains("手机验证码")
}
