//! One function per step kind; `reveal`, `switch_off` and `confirm` in files of their own.

mod confirm;
pub(crate) mod explore;
pub(crate) mod reveal;
mod switch_off;

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::json;

use super::{code, RunOptions, StepDone, StepFail};
use crate::browser::Browser;
use crate::locate::flow::{key as flow_key, next_move, Move};
use crate::locate::lexicon::{
    normalize, says_any, says_nothing_to_cancel, says_success, statements,
};
use crate::locate::policy::{self, Mode, Verdict};
use crate::locate::score::selectors_for;
use crate::locate::service::{self, Decision};
use crate::locate::{
    choose, intent_of, Candidate, Choice, Found, Intent, MatchQuality, Snapshot, SwitchState, Want,
    SNAPSHOT_JS,
};
use crate::record::{FoundRecord, RunRecord, Sink, StepRecord, StepStatus};
use crate::said;
use crate::said::Said;
use crate::script::{Action, ConfirmWords, Plan, Step, Target};
use crate::secret::Redactor;

static FOLD: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(crate::locate::lexicon::fold_table);

/// How often a wait looks again: fast enough to react within a frame or two, slow enough
/// not to keep a core busy.
const POLL: Duration = Duration::from_millis(20);
/// `confirm` follows a chain of at most this many dialogs or pages.
const MAX_HOPS: usize = 5;

pub(crate) struct Exec<'a> {
    pub browser: &'a Browser,
    pub plan: &'a Plan,
    pub opts: &'a RunOptions,
    pub recorder: &'a mut dyn Sink,
    pub redactor: Redactor,
    pub switch_first: Option<SwitchState>,
    pub switch_last: Option<SwitchState>,
    pub changed: bool,
    /// How many `--code` values the run has used (code steps take them in order).
    pub codes_used: usize,
    /// Fields a code was typed into: shown as dots in screenshots while on the page.
    pub code_fields: Vec<FoundRecord>,
    /// The service the last `switch_off` acted on: what the state is read of at the end.
    pub switch_target: Option<Target>,
    /// After the change, the script's own `expect` found the platform's words for it.
    pub confirmed_by_script: bool,
    /// The last screenshot, still being stamped.
    pub pending: Option<PendingShot>,
    /// Files written after their step was recorded: (step number, file).
    pub late_files: Vec<(usize, String)>,
}

/// How a value goes into a field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Typing {
    /// Set as a whole, with the `input` and `change` events a person's typing ends with
    /// (one round trip); keys are typed instead where that does not take.
    Value,
    /// Key by key: a code box may move on with each digit.
    Keys,
}

/// Sets a text field's value through the element's own setter (so frameworks that watch
/// it see the change), then fires `input` and `change`; true when the field now holds it.
const SET_VALUE_JS: &str = r#"
const el = arguments[0], value = arguments[1];
const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
  : el instanceof HTMLInputElement ? HTMLInputElement.prototype : null;
if (!proto || el.readOnly || el.disabled) return false;
el.focus();
Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
el.dispatchEvent(new Event('input', { bubbles: true }));
el.dispatchEvent(new Event('change', { bubbles: true }));
return el.value === value;
"#;

/// An http(s) page, or the blank page a session starts on.
pub(crate) fn page_address_is_web(href: &str) -> bool {
    href == "about:blank"
        || url::Url::parse(href).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Another element would receive the click (the target is under its own styling).
fn click_intercepted(e: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    matches!(e, CmdError::Standard(w) if w.error == ErrorStatus::ElementClickIntercepted)
}

/// The top document's address and the HTTP status of its response (0 where the browser
/// does not say).
const PAGE_HEALTH_JS: &str = "const nav = performance.getEntriesByType('navigation')[0]; return { href: location.href, status: (nav && nav.responseStatus) || 0 };";

/// A screenshot being stamped in the background, and the file it becomes.
pub(crate) struct PendingShot {
    pub step: usize,
    pub name: String,
    /// The stamped PNG; `None` when no picture could be taken.
    pub stamping: tokio::task::JoinHandle<Option<Vec<u8>>>,
}

fn ticker() -> tokio::time::Interval {
    let mut t = tokio::time::interval(POLL);
    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    t
}

impl<'a> Exec<'a> {
    pub fn new(
        browser: &'a Browser,
        plan: &'a Plan,
        opts: &'a RunOptions,
        recorder: &'a mut dyn Sink,
    ) -> Exec<'a> {
        Exec {
            browser,
            plan,
            opts,
            recorder,
            redactor: plan.redactor(),
            switch_first: None,
            switch_last: None,
            changed: false,
            codes_used: 0,
            code_fields: Vec::new(),
            switch_target: None,
            confirmed_by_script: false,
            pending: None,
            late_files: Vec::new(),
        }
    }
}

impl Exec<'_> {
    /// Whether the session is already logged in (a saved profile or imported cookies): the
    /// start page shows the script's `logged_in` words. With `--pause-on-login`, a person
    /// logs in in the window first.
    pub async fn login_gate(&mut self, rec: &mut StepRecord) -> Result<bool, StepFail> {
        if self.plan.logged_in.is_empty() {
            return Ok(false);
        }
        if let Some(word) = says_any(&self.page_text().await?.text, &self.plan.logged_in) {
            rec.say(&said!("note.logged_in", word = word), &self.redactor);
            return Ok(true);
        }
        if !self.opts.pause_on_login {
            return Ok(false);
        }
        let words = self.plan.logged_in.clone();
        self.wait_for_person(
            0,
            "请在浏览器窗口中登录（扫码、滑块或验证码），登录后 jieyue 会继续 · log in in the browser window",
            &words,
            None,
            rec,
        )
        .await?;
        Ok(true)
    }

    pub async fn start(&mut self) -> Result<(), StepFail> {
        let open = |e: crate::browser::BrowserError| {
            StepFail::Browser(said!(
                "fail.start_page",
                url = &self.plan.start,
                problem = e.to_string()
            ))
        };
        self.browser.goto(&self.plan.start).await.map_err(open)?;
        if self.opts.cookies.is_empty() {
            return Ok(());
        }
        let added = self.browser.add_cookies(&self.opts.cookies).await?;
        if added == 0 {
            tracing::warn!(
                "none of the imported cookies belong to the start page's site ({}): they were not used",
                self.plan.start
            );
            return Ok(());
        }
        // Open the start page again, now with the session.
        self.browser.goto(&self.plan.start).await.map_err(open)
    }

    /// Whether the page the browser is on is a failure rather than the platform's page: a
    /// browser error page (the site is unreachable), an HTTP 4xx/5xx main document, or an
    /// address that is not a web page (a redirect to `file:`, say).
    pub async fn page_failure(&self) -> Option<StepFail> {
        let seen = self.browser.execute(PAGE_HEALTH_JS, vec![]).await.ok()?;
        let href = seen["href"].as_str().unwrap_or_default();
        let status = seen["status"].as_u64().unwrap_or(0);
        let failed = href.starts_with("chrome-error:")
            || href.starts_with("about:neterror")
            || status >= 400;
        if !failed && page_address_is_web(href) {
            return None;
        }
        // The address the browser meant to open (an error page's own is the browser's).
        let address = self
            .browser
            .current_url()
            .await
            .map(|u| self.redactor.redact(&u))
            .unwrap_or_else(|_| href.to_string());
        if href.starts_with("chrome-error:") || href.starts_with("about:neterror") {
            return Some(StepFail::Site(said!("fail.unreachable", url = address)));
        }
        if status >= 400 {
            return Some(StepFail::Site(said!(
                "fail.http",
                url = address,
                status = status.to_string()
            )));
        }
        if !page_address_is_web(href) {
            let scheme = href.split(':').next().unwrap_or_default();
            return Some(StepFail::Site(said!("fail.not_web", scheme = scheme)));
        }
        None
    }

    pub fn recorder_record(&mut self, record: &mut RunRecord, step: StepRecord) {
        self.attach_late_files(record);
        record.steps.push(step);
        record.switch_before = self.switch_first;
        record.switch_after = self.switch_last;
        if let Err(e) = self.recorder.record(record) {
            tracing::warn!("{e}");
        }
    }

    fn deadline(&self) -> Instant {
        Instant::now() + self.plan.timeout
    }

    /// The page in one round trip: every interactive element, plus the plain texts that
    /// carry the targets' words and the elements their selectors match.
    pub async fn snapshot(&self, targets: &[&Target]) -> Result<Snapshot, StepFail> {
        let selectors = selectors_for(targets.iter().copied());
        let words = target_words(targets);
        self.snapshot_query(json!({ "css": selectors, "words": words, "fold": &*FOLD }))
            .await
    }

    /// Every control of the page, plus the plain texts that carry the targets' words: what
    /// reading a service needs (its name, and the switch or cancel entry beside it).
    pub async fn snapshot_all(&self, targets: &[&Target]) -> Result<Snapshot, StepFail> {
        let words = target_words(targets);
        self.snapshot_query(json!({ "css": selectors_for(targets.iter().copied()), "words": words, "fold": &*FOLD, "all": true }))
            .await
    }

    /// The page's text only (frames and shadow roots included), for waits on words.
    pub(super) async fn page_text(&self) -> Result<Snapshot, StepFail> {
        self.snapshot_query(json!({ "text_only": true })).await
    }

    async fn snapshot_query(&self, query: serde_json::Value) -> Result<Snapshot, StepFail> {
        let value = match self
            .browser
            .within(
                "reading the page",
                self.browser.client().execute(SNAPSHOT_JS, vec![query]),
            )
            .await
        {
            Ok(v) => v,
            Err(crate::browser::BrowserError::Command(e)) if e.is_unexpected_alert_open() => {
                let text = self
                    .browser
                    .alert_text()
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                // The page opened a dialog the script does not answer: what the page does,
                // not a browser that failed, and after a click the state is not known.
                return Err(StepFail::Expectation(said!(
                    "fail.native_dialog",
                    text = text
                )));
            }
            Err(e) => return Err(e.into()),
        };
        serde_json::from_value(value)
            .map_err(|e| StepFail::Browser(said!("fail.snapshot", problem = e.to_string())))
    }

    /// Polls until the target is found and visible, or the deadline.
    pub(super) async fn locate(
        &self,
        target: &Target,
        want: Want,
        deadline: Instant,
    ) -> Result<Choice, StepFail> {
        self.locate_both(target, want, deadline)
            .await
            .map(|(best, _)| best)
    }

    /// The best match and the next best, for the ambiguity check of a commit.
    async fn locate_both(
        &self,
        target: &Target,
        want: Want,
        deadline: Instant,
    ) -> Result<(Choice, Option<Choice>), StepFail> {
        let mut tick = ticker();
        let started = Instant::now();
        loop {
            tick.tick().await;
            let snap = self.snapshot(&[target]).await?;
            let found = choose(&snap, target, want);
            if !matches!(found, Found::Match { .. }) && settled(&snap, started) {
                nothing_to_cancel(&self.page_text().await?)?;
            }
            match found {
                Found::Match { best, runner_up } => return Ok((*best, runner_up.map(|r| *r))),
                other if Instant::now() >= deadline => {
                    return Err(StepFail::NotFound(not_found_message(target, &other, &snap)))
                }
                _ => {}
            }
        }
    }

    async fn click(&self, c: &Candidate) -> Result<(), StepFail> {
        let Some(handle) = self.browser.resolve(&c.frame, &c.shadow, &c.css).await? else {
            return Err(StepFail::NotFound(said!(
                "fail.gone_before_click",
                label = c.visible_label(),
                at = c.location()
            )));
        };
        let result = self
            .browser
            .within("a click", async {
                let result = handle.element.clone().click().await;
                let result = match result {
                    Err(e) if e.is_element_not_interactable() || click_intercepted(&e) => {
                        // A custom control whose real input is 0×0 or covered by its own
                        // styling: the element is the one the engine chose, so a DOM click
                        // is the same intent.
                        self.browser
                            .client()
                            .execute("arguments[0].click();", vec![json!(handle.element)])
                            .await
                            .map(|_| ())
                    }
                    other => other.map(|_| ()),
                };
                match result {
                    Err(e) if e.is_stale_element_reference() => Ok(()),
                    other => other,
                }
            })
            .await;
        self.browser.release(handle).await;
        result.map_err(Into::into)
    }

    async fn hover(&self, c: &Candidate) -> Result<(), StepFail> {
        let Some(handle) = self.browser.resolve(&c.frame, &c.shadow, &c.css).await? else {
            return Err(StepFail::NotFound(said!(
                "fail.gone",
                label = c.visible_label()
            )));
        };
        let actions = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element: handle.element.clone(),
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: 0.0,
        });
        let result = self
            .browser
            .within(
                "moving the pointer",
                self.browser.client().perform_actions(actions),
            )
            .await;
        self.browser.release(handle).await;
        result.map_err(Into::into)
    }

    async fn fill(&self, c: &Candidate, value: &str, typing: Typing) -> Result<(), StepFail> {
        let Some(handle) = self.browser.resolve(&c.frame, &c.shadow, &c.css).await? else {
            return Err(StepFail::NotFound(said!(
                "fail.field_gone",
                label = c.visible_label()
            )));
        };
        let result = self
            .browser
            .within("typing", async {
                if typing == Typing::Value {
                    let set = self
                        .browser
                        .client()
                        .execute(SET_VALUE_JS, vec![json!(handle.element), json!(value)])
                        .await?;
                    if set.as_bool() == Some(true) {
                        return Ok(());
                    }
                }
                handle.element.clear().await?;
                handle.element.send_keys(value).await
            })
            .await;
        self.browser.release(handle).await;
        // The error of send_keys can echo the typed text: never pass it on as it is.
        result.map_err(|_| {
            StepFail::Browser(said!(
                "fail.typing",
                label = c.visible_label(),
                at = c.location()
            ))
        })
    }

    fn found_record(&self, choice: &Choice) -> FoundRecord {
        let c = &choice.candidate;
        FoundRecord {
            text: self.redactor.redact(c.visible_label()),
            tag: c.tag.clone(),
            css: c.css.clone(),
            location: c.location(),
            frame: c.frame.clone(),
            shadow: c.shadow.clone(),
            score: choice.score,
            quality: choice.quality,
            intent: choice.intent,
            via: choice.via.to_string(),
            drift: choice.drift.clone(),
        }
    }

    /// The guard and the dry-run rule (`locate::policy`): Ok(true) to click, Ok(false) to
    /// stop before the change (dry run), or the refusal.
    /// Every file so far is written before anything can change: if the folder cannot be
    /// written, the change is not made.
    pub async fn evidence_before_change(&mut self) -> Result<(), StepFail> {
        self.settle_evidence().await;
        match self.recorder.failure() {
            Some(problem) => Err(StepFail::Evidence(said!(
                "fail.evidence_before_change",
                dir = self.recorder.place().display().to_string(),
                problem = problem.to_string()
            ))),
            None => Ok(()),
        }
    }

    fn guard(
        &self,
        choice: &Choice,
        runner_up: Option<&Choice>,
        commit: bool,
        what: &str,
    ) -> Result<bool, StepFail> {
        let mode = if self.opts.dry_run {
            Mode::DryRun
        } else {
            Mode::Run
        };
        match policy::judge(choice, runner_up, commit, mode, what) {
            Verdict::Allow => Ok(true),
            Verdict::StopBeforeChange => Ok(false),
            Verdict::Refuse(why) => Err(StepFail::Refused(said!("fail.refused", why = why))),
        }
    }

    pub async fn step(&mut self, step: &Step, rec: &mut StepRecord) -> Result<StepDone, StepFail> {
        let deadline = self.deadline();
        match &step.action {
            Action::Goto { url } => {
                self.browser.goto(url).await?;
                Ok(StepDone::Ok)
            }
            Action::Fill { target, value } => {
                let choice = self.locate(target, Want::Fill, deadline).await?;
                rec.found = Some(self.found_record(&choice));
                self.fill(&choice.candidate, value.expose(), Typing::Value)
                    .await?;
                Ok(StepDone::Ok)
            }
            Action::Hover { target } => {
                let choice = self.locate(target, Want::Any, deadline).await?;
                rec.found = Some(self.found_record(&choice));
                self.hover(&choice.candidate).await?;
                Ok(StepDone::Ok)
            }
            Action::Click { target, commit } => {
                self.click_step(target, *commit, deadline, rec).await
            }
            Action::Find { target, reveal } => self.find(target, *reveal, deadline, rec).await,
            Action::SwitchOff { target } => self.switch_off(target, deadline, rec).await,
            Action::Confirm(words) => {
                if self.opts.dry_run {
                    rec.status = StepStatus::Located;
                    return Ok(StepDone::StopBeforeChange);
                }
                self.confirm(words, deadline, rec).await
            }
            Action::Code {
                target,
                prompt,
                from,
                image,
            } => {
                self.code_step(step, target, prompt, from.as_ref(), image.as_ref(), rec)
                    .await
            }
            Action::Pause { message, until } => self.pause(step, message, until, rec).await,
            Action::ExpectText { text } => self.expect_text(text, deadline, rec).await,
            Action::ExpectSwitchOff { target } => {
                self.expect_switch_off(target, deadline, rec).await
            }
            Action::Screenshot { name } => self.screenshot_step(step, name, rec).await,
            Action::WaitText { text } => match self.wait_for_text(text, deadline).await? {
                Ok(_) => Ok(StepDone::Ok),
                Err(_) => Err(StepFail::Expectation(said!(
                    "fail.waited",
                    secs = self.plan.timeout.as_secs_f32(),
                    words = quote_all(text)
                ))),
            },
            Action::WaitFor { duration } => {
                // The script asked for this pause by name (`wait: 2s`): a platform that needs
                // time no text announces.
                tokio::time::sleep_until((Instant::now() + *duration).into()).await;
                Ok(StepDone::Ok)
            }
        }
    }

    /// `click`: the guard decides, dry-run stops before a change.
    async fn click_step(
        &mut self,
        target: &Target,
        commit: bool,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let (choice, runner_up) = self.locate_both(target, Want::Click, deadline).await?;
        rec.found = Some(self.found_record(&choice));
        let mutating = commit || choice.intent.is_commit();
        if !self.guard(&choice, runner_up.as_ref(), commit, "cancel")? {
            rec.status = StepStatus::Located;
            return Ok(StepDone::StopBeforeChange);
        }
        if mutating {
            self.evidence_before_change().await?;
        }
        let windows = self.browser.window_count().await.unwrap_or(1);
        self.click(&choice.candidate).await?;
        if mutating {
            self.changed = true;
        }
        // A link that opens in a new tab (target=_blank): the flow goes on there.
        if self.browser.follow_new_window(windows).await? {
            rec.say(&said!("note.new_tab"), &self.redactor);
        }
        Ok(StepDone::Ok)
    }

    /// `code`: a verification code from `--code`, a source or a person, typed into its
    /// field and redacted everywhere from then on.
    async fn code_step(
        &mut self,
        step: &Step,
        target: &Target,
        prompt: &str,
        from: Option<&crate::script::CodeSource>,
        image: Option<&Target>,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let deadline = self.deadline();
        let choice = self.locate(target, Want::Fill, deadline).await?;
        rec.found = Some(self.found_record(&choice));
        if self.opts.dry_run {
            rec.status = StepStatus::Located;
            return Ok(StepDone::StopBeforeChange);
        }
        let question = if self.opts.code.len() <= self.codes_used && from.is_none() {
            self.code_question(step, prompt, image, rec).await
        } else {
            String::new()
        };
        let given = self.opts.code.get(self.codes_used).cloned();
        self.codes_used += 1;
        let code = code::obtain(
            from,
            given.as_deref(),
            prompt,
            &question,
            deadline,
            step.number,
        )
        .await?;
        self.redactor.add(&crate::secret::Secret::new(code.clone()));
        self.recorder_redact(&code);
        self.fill(&choice.candidate, &code, Typing::Keys).await?;
        Ok(StepDone::Ok)
    }

    /// `expect: [words]`: after a change, the platform's own words confirm it.
    async fn expect_text(
        &mut self,
        text: &[String],
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        match self.wait_for_text(text, deadline).await? {
            Ok(word) => {
                if self.changed {
                    self.confirmed_by_script = true;
                }
                rec.say(&said!("note.found_word", word = word), &self.redactor);
                Ok(StepDone::Ok)
            }
            Err(url) => Err(StepFail::Expectation(said!(
                "fail.expected_words",
                words = quote_all(text),
                secs = self.plan.timeout.as_secs_f32(),
                url = url
            ))),
        }
    }

    /// `expect: {switch: off}`: the service's state reads off before the deadline.
    async fn expect_switch_off(
        &mut self,
        target: &Target,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let mut tick = ticker();
        loop {
            tick.tick().await;
            let snap = self.snapshot_all(&[target]).await?;
            let (state, read_from) = service::state(&snap, target);
            rec.switch_after = Some(state);
            if state == SwitchState::Off {
                rec.message = Some(read_from);
                self.switch_last = Some(state);
                return Ok(StepDone::Ok);
            }
            if Instant::now() >= deadline {
                let read = if read_from.is_empty() {
                    said!("fail.nothing_readable")
                } else {
                    Said::from(read_from)
                };
                return Err(StepFail::Expectation(said!(
                    "fail.expected_off",
                    what = target.describe(),
                    state = state.as_str(),
                    read = read
                )));
            }
        }
    }

    /// `screenshot: NAME`: the whole page as `NAME.png`, with its DOM.
    async fn screenshot_step(
        &mut self,
        step: &Step,
        name: &str,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let (files, url) = self.capture(name, step, "ok", true).await;
        if !files.iter().any(|f| f.ends_with(".png")) {
            return Err(StepFail::Browser(said!("fail.screenshot", name = name)));
        }
        rec.files.extend(files);
        rec.url = url;
        Ok(StepDone::Ok)
    }

    /// Polls until the page says one of `words`: the word found, or (at the deadline) the
    /// URL of the page that did not say it.
    async fn wait_for_text(
        &self,
        words: &[String],
        deadline: Instant,
    ) -> Result<Result<String, String>, StepFail> {
        let mut tick = ticker();
        loop {
            tick.tick().await;
            let snap = self.page_text().await?;
            if let Some(word) = says_any(&snap.text, words) {
                return Ok(Ok(word));
            }
            if Instant::now() >= deadline {
                return Ok(Err(snap.url));
            }
        }
    }

    fn recorder_redact(&mut self, _code: &str) {
        // The recorder redacts with the plan's secrets; a code typed during the run joins them.
        let redactor = self.redactor.clone();
        crate::secret::protect_logs(&redactor);
        self.recorder.redact_with(redactor);
    }

    /// `find`: the target, visible; with `reveal: N`, opening up to N levels of menus first.
    async fn find(
        &mut self,
        target: &Target,
        reveal: u32,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        // A short look first: a target that is there needs no menu opened.
        // `look` stops as soon as the page has settled, and waits while it says it is still
        // loading: a list that renders late is seen before any menu is opened.
        let first_look = Instant::now() + Duration::from_millis(3000).min(self.plan.timeout);
        let mut deadline = deadline;
        if reveal > 0 {
            if let Some(best) = self.look(target, first_look).await? {
                rec.found = Some(self.found_record(&best));
                return Ok(StepDone::Ok);
            }
            let start = self.browser.current_url().await?;
            let budget = Instant::now() + self.plan.timeout * (reveal + 1);
            if let Some((best, path)) = self.reveal(target, reveal, budget).await? {
                rec.found = Some(self.found_record(&best));
                rec.say(
                    &said!(
                        "note.found_through",
                        path = reveal::describe_path(&path),
                        label = best.candidate.visible_label()
                    ),
                    &self.redactor,
                );
                return Ok(StepDone::Ok);
            }
            // Nothing behind the menus: back to where the search began, and one more look
            // there (its content may have come late).
            self.browser.goto(&start).await?;
            deadline =
                deadline.max(Instant::now() + Duration::from_millis(3000).min(self.plan.timeout));
        }
        let choice = self.locate(target, Want::Any, deadline).await?;
        rec.found = Some(self.found_record(&choice));
        Ok(StepDone::Ok)
    }

    /// Looks for the target until `until`; None when it is not (yet) visible.
    async fn look(&self, target: &Target, until: Instant) -> Result<Option<Choice>, StepFail> {
        let holds = |snap: &Snapshot| match choose(snap, target, Want::Any) {
            Found::Match { best, .. } if strong(&best) => Some(*best),
            _ => None,
        };
        let goal = reveal::Goal {
            words: vec![target],
            all: false,
            holds: &holds,
        };
        self.look_for(&goal, until).await
    }
}

/// The targets' words as the snapshot matches them (folded, without decorations).
fn target_words(targets: &[&Target]) -> Vec<String> {
    targets
        .iter()
        .flat_map(|t| t.all_words())
        .map(|w| normalize(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words a page shows while its content is still coming.
fn still_loading(text: &str) -> bool {
    let t = normalize(text);
    ["加载中", "载入中", "请稍候", "loading", "正在加载"]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether the page has stopped changing long enough to believe what it does not show.
fn settled(snap: &Snapshot, started: Instant) -> bool {
    let quiet = snap.quiet_ms.map(|q| q >= 1000.0).unwrap_or(true);
    quiet && started.elapsed() >= NOTHING_GRACE
}

/// A match worth stopping a search for: the words themselves, or an element to act on that
/// carries them (not a help text that mentions them in passing).
fn strong(choice: &Choice) -> bool {
    choice.quality == MatchQuality::Exact
        || (choice.quality == MatchQuality::Phrase
            && (choice.candidate.interactive || choice.candidate.switch_like))
}

/// How long a target may be missing before a page that says "nothing to cancel" is believed.
const NOTHING_GRACE: Duration = Duration::from_millis(1000);

/// Stops the run when the page says the account has nothing to cancel.
fn nothing_to_cancel(snap: &Snapshot) -> Result<(), StepFail> {
    match says_nothing_to_cancel(&snap.text) {
        Some(words) => Err(StepFail::NothingToCancel(said!(
            "fail.nothing_to_cancel",
            words = words,
            url = &snap.url
        ))),
        None => Ok(()),
    }
}

fn strip_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

fn quote_all(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("“{w}”"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn not_found_message(target: &Target, found: &Found, snap: &Snapshot) -> Said {
    let what = target.describe();
    match found {
        Found::PresentButHidden(hidden) => {
            let first = &hidden[0];
            said!(
                "fail.hidden",
                what = what,
                label = first.visible_label(),
                at = first.location(),
                why = first.hidden_reason.as_deref().unwrap_or("not visible")
            )
        }
        _ => said!(
            "fail.not_found",
            what = what,
            url = &snap.url,
            title = &snap.title
        ),
    }
}
