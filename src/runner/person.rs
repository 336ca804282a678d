//! Steps a person finishes: a code they read, a QR code they scan, a slider they drag, a
//! login they complete in the window. jieyue shows them what to act on and waits; with
//! nobody there it stops with exit code 5 and says how to supply it.

use std::time::Instant;

use super::human;
use super::steps::Exec;
use super::{StepDone, StepFail};
use crate::evidence::stamp::{stamp_png, Stamp};
use crate::locate::Want;
use crate::record::StepRecord;
use crate::said;
use crate::script::{Step, Target};
use crate::secret::mask_account;

impl Exec<'_> {
    /// What the terminal shows before asking for a code: the prompt, the phone it was sent
    /// to, and the picture to read it from (the captcha crop, or the page).
    pub async fn code_question(
        &mut self,
        step: &Step,
        prompt: &str,
        image: Option<&Target>,
        rec: &mut StepRecord,
    ) -> String {
        let mut picture = None;
        if let Some(image) = image {
            picture = self.crop(step, image).await;
        }
        if picture.is_none() {
            let stem = format!("{:02}-code-page", step.number);
            let (files, _) = self.capture_now(&stem, step, "waiting for a code").await;
            picture = files.iter().find(|f| f.ends_with(".png")).cloned();
            rec.files.extend(files);
        } else if let Some(p) = &picture {
            rec.files.push(p.clone());
        }
        let sent_to = match (&self.plan.account, super::code::is_sms(prompt)) {
            (Some(account), true) => said!("ask.sent_to", account = mask_account(account)).here(),
            _ => String::new(),
        };
        let look = picture
            .map(|p| {
                let file = self.recorder.place().join(p).display().to_string();
                format!("\n  {}", said!("ask.look_at", file = file).here())
            })
            .unwrap_or_default();
        format!("\n{prompt}{sent_to}{look}\n{prompt}{sent_to}: ")
    }

    /// A crop of the captcha image, stamped, as `NN-code-image.png`.
    async fn crop(&mut self, step: &Step, image: &Target) -> Option<String> {
        let until = Instant::now() + self.plan.timeout;
        let choice = self.locate(image, Want::Any, until).await.ok()?;
        let c = &choice.candidate;
        let handle = self
            .browser
            .resolve(&c.frame, &c.shadow, &c.css)
            .await
            .ok()??;
        let png = self
            .browser
            .within("an element screenshot", handle.element.clone().screenshot())
            .await;
        self.browser.release(handle).await;
        let png = png.ok()?;
        let stamp = Stamp {
            lines: vec![
                format!(
                    "时间 Time   {}",
                    chrono::Local::now().format("%Y-%m-%d %H:%M:%S (UTC%:z)")
                ),
                format!("步骤 Step   {} code — {}", step.number, self.plan.name),
            ],
        };
        let png = tokio::task::spawn_blocking(move || stamp_png(&png, &stamp).ok())
            .await
            .ok()??;
        let name = format!("{:02}-code-image.png", step.number);
        self.recorder.file(&name, &png).ok()
    }

    /// `pause`: the person finishes something in the browser; done on Enter or when the
    /// page shows one of `until`.
    pub async fn pause(
        &mut self,
        step: &Step,
        message: &str,
        until: &[String],
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        if !until.is_empty() {
            if let Some(word) =
                crate::locate::lexicon::says_any(&self.page_text().await?.text, until)
            {
                rec.say(&said!("note.nothing_to_wait", word = word), &self.redactor);
                return Ok(StepDone::Ok);
            }
        }
        let stem = format!("{:02}-pause", step.number);
        self.wait_for_person(step.number, message, until, Some((&stem, step)), rec)
            .await
    }

    /// Shows the page, says what to do, and waits for Enter or the `until` words. Refuses
    /// (exit 5) when nobody can act: headless with no terminal.
    pub async fn wait_for_person(
        &mut self,
        number: usize,
        message: &str,
        until: &[String],
        shot: Option<(&str, &Step)>,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let interactive = human::interactive();
        let headed = self.opts.launch.headed;
        if !interactive && !headed {
            return Err(StepFail::CodeNeeded(said!(
                "fail.person_needed",
                step = number,
                message = message
            )));
        }
        if !interactive && until.is_empty() {
            return Err(StepFail::CodeNeeded(said!(
                "fail.enter_no_terminal",
                step = number,
                message = message
            )));
        }
        let mut look = String::new();
        if let Some((stem, step)) = shot {
            let (files, _) = self.capture_now(stem, step, "waiting for a person").await;
            if let Some(png) = files.iter().find(|f| f.ends_with(".png")) {
                let file = self.recorder.place().join(png).display().to_string();
                look = format!("\n   {}", said!("ask.page_now", file = file).here());
            }
            rec.files.extend(files);
        }
        let words = until.join("” / “");
        let how = match (interactive, until.is_empty()) {
            (true, true) => said!("ask.enter"),
            (true, false) => said!("ask.enter_or_words", words = words),
            (false, _) => said!("ask.words", words = words),
        };
        let window = if headed {
            said!("ask.window_open")
        } else {
            crate::said::Said::from("")
        };
        let how = said!(
            "ask.how",
            how = how,
            mins = human::PERSON_LIMIT.as_secs() / 60,
            window = window
        );
        eprintln!("\n⏸  {message}{look}\n   {}", how.here());
        let deadline = Instant::now() + human::PERSON_LIMIT;
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let enter = async {
            if interactive {
                human::enter().await
            } else {
                std::future::pending().await
            }
        };
        tokio::pin!(enter);
        loop {
            tokio::select! {
                line = &mut enter => {
                    if line.is_none() {
                        return Err(StepFail::CodeNeeded(said!("fail.terminal_closed", step = number, message = message)));
                    }
                    rec.say(&said!("note.enter_pressed"), &self.redactor);
                    return Ok(StepDone::Ok);
                }
                _ = tick.tick() => {
                    if !until.is_empty() {
                        if let Some(word) = crate::locate::lexicon::says_any(&self.page_text().await?.text, until) {
                            rec.say(&said!("note.done_page_says", word = word), &self.redactor);
                            return Ok(StepDone::Ok);
                        }
                    }
                    if Instant::now() >= deadline {
                        return Err(StepFail::CodeNeeded(said!(
                            "fail.person_timeout",
                            step = number,
                            message = message,
                            mins = human::PERSON_LIMIT.as_secs() / 60
                        )));
                    }
                }
            }
        }
    }
}
