//! One function per step kind.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::json;

use super::{code, RunOptions, StepDone, StepFail};
use crate::browser::Browser;
use crate::evidence::{FoundRecord, Recorder, RunRecord, StepRecord, StepStatus};
use crate::locate::flow::{key as flow_key, next_move, Move};
use crate::locate::lexicon::{normalize, says_nothing_to_cancel, says_success, statements};
use crate::locate::policy::{self, Mode, Verdict};
use crate::locate::score::selectors_for;
use crate::locate::service::{self, Decision};
use crate::locate::{
    choose, intent_of, Candidate, Choice, Found, Intent, MatchQuality, Snapshot, SwitchState, Want,
    SNAPSHOT_JS,
};
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
    pub recorder: &'a mut Recorder,
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
}

fn ticker() -> tokio::time::Interval {
    let mut t = tokio::time::interval(POLL);
    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    t
}

impl Exec<'_> {
    /// Whether the session is already logged in (a saved profile or imported cookies): the
    /// start page shows the script's `logged_in` words. With `--pause-on-login`, a person
    /// logs in in the window first.
    pub async fn login_gate(&mut self, rec: &mut StepRecord) -> Result<bool, StepFail> {
        if self.plan.logged_in.is_empty() {
            return Ok(false);
        }
        if let Some(word) = self.page_text().await?.has_text(&self.plan.logged_in) {
            rec.message = Some(format!("already logged in: the page says “{word}”"));
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
            StepFail::Browser(format!(
                "cannot open the start page {}: {e}",
                self.plan.start
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

    pub fn recorder_record(&mut self, record: &mut RunRecord, step: StepRecord) {
        record.steps.push(step);
        record.switch_before = self.switch_first;
        record.switch_after = self.switch_last;
        if let Err(e) = self.recorder.write_record(record) {
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
            .client()
            .execute(SNAPSHOT_JS, vec![query])
            .await
        {
            Ok(v) => v,
            Err(e) if e.is_unexpected_alert_open() => {
                let text = self
                    .browser
                    .alert_text()
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                return Err(StepFail::Browser(format!(
                    "a native dialog is open (“{text}”): a `confirm` step answers it"
                )));
            }
            Err(e) => return Err(e.into()),
        };
        serde_json::from_value(value)
            .map_err(|e| StepFail::Browser(format!("the page snapshot could not be read: {e}")))
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
            return Err(StepFail::NotFound(format!(
                "“{}” at `{}` disappeared before it could be clicked",
                c.visible_label(),
                c.location()
            )));
        };
        let result = handle.element.clone().click().await;
        let result = match result {
            Err(e) if e.is_element_not_interactable() || e.to_string().contains("intercepted") => {
                // A custom control whose real input is 0×0 or covered by its own styling:
                // the element is the one the engine chose, so a DOM click is the same intent.
                self.browser
                    .client()
                    .execute("arguments[0].click();", vec![json!(handle.element)])
                    .await
                    .map(|_| ())
            }
            other => other.map(|_| ()),
        };
        self.browser.release(handle).await;
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.is_stale_element_reference() => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn hover(&self, c: &Candidate) -> Result<(), StepFail> {
        let Some(handle) = self.browser.resolve(&c.frame, &c.shadow, &c.css).await? else {
            return Err(StepFail::NotFound(format!(
                "“{}” disappeared",
                c.visible_label()
            )));
        };
        let actions = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element: handle.element.clone(),
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: 0.0,
        });
        let result = self.browser.client().perform_actions(actions).await;
        self.browser.release(handle).await;
        result.map_err(Into::into)
    }

    async fn fill(&self, c: &Candidate, value: &str) -> Result<(), StepFail> {
        let Some(handle) = self.browser.resolve(&c.frame, &c.shadow, &c.css).await? else {
            return Err(StepFail::NotFound(format!(
                "the field “{}” disappeared",
                c.visible_label()
            )));
        };
        let result = async {
            handle.element.clear().await?;
            handle.element.send_keys(value).await
        }
        .await;
        self.browser.release(handle).await;
        // The error of send_keys can echo the typed text: never pass it on as it is.
        result.map_err(|_| {
            StepFail::Browser(format!(
                "could not type into “{}” at `{}`",
                c.visible_label(),
                c.location()
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
            Verdict::Refuse(why) => Err(StepFail::Refused(why)),
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
                self.fill(&choice.candidate, value.expose()).await?;
                Ok(StepDone::Ok)
            }
            Action::Hover { target } => {
                let choice = self.locate(target, Want::Any, deadline).await?;
                rec.found = Some(self.found_record(&choice));
                self.hover(&choice.candidate).await?;
                Ok(StepDone::Ok)
            }
            Action::Click { target, commit } => {
                let (choice, runner_up) = self.locate_both(target, Want::Click, deadline).await?;
                rec.found = Some(self.found_record(&choice));
                let mutating = *commit || choice.intent.is_commit();
                if !self.guard(&choice, runner_up.as_ref(), *commit, "cancel")? {
                    rec.status = StepStatus::Located;
                    return Ok(StepDone::StopBeforeChange);
                }
                self.click(&choice.candidate).await?;
                if mutating {
                    self.changed = true;
                }
                Ok(StepDone::Ok)
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
                let choice = self.locate(target, Want::Fill, deadline).await?;
                rec.found = Some(self.found_record(&choice));
                if self.opts.dry_run {
                    rec.status = StepStatus::Located;
                    return Ok(StepDone::StopBeforeChange);
                }
                let question = if self.opts.code.len() <= self.codes_used && from.is_none() {
                    self.code_question(step, prompt, image.as_ref(), rec).await
                } else {
                    String::new()
                };
                let given = self.opts.code.get(self.codes_used).cloned();
                self.codes_used += 1;
                let code = code::obtain(
                    from.as_ref(),
                    given.as_deref(),
                    prompt,
                    &question,
                    deadline,
                    step.number,
                )
                .await?;
                self.redactor.add(&crate::secret::Secret::new(code.clone()));
                self.recorder_redact(&code);
                self.fill(&choice.candidate, &code).await?;
                Ok(StepDone::Ok)
            }
            Action::Pause { message, until } => self.pause(step, message, until, rec).await,
            Action::ExpectText { text } => match self.wait_for_text(text, deadline).await? {
                Ok(word) => {
                    if self.changed {
                        self.confirmed_by_script = true;
                    }
                    rec.message = Some(format!("found “{word}”"));
                    Ok(StepDone::Ok)
                }
                Err(url) => Err(StepFail::Expectation(format!(
                    "expected the page to say {} within {} s; it did not (page: {url})",
                    quote_all(text),
                    self.plan.timeout.as_secs_f32(),
                ))),
            },
            Action::ExpectSwitchOff { target } => {
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
                        return Err(StepFail::Expectation(format!(
                            "expected {} to be off; it reads {} ({})",
                            target.describe(),
                            state.as_str(),
                            if read_from.is_empty() {
                                "nothing readable next to it"
                            } else {
                                &read_from
                            }
                        )));
                    }
                }
            }
            Action::Screenshot { name } => {
                let (files, url) = self.capture(name, step, "ok", true).await;
                if !files.iter().any(|f| f.ends_with(".png")) {
                    return Err(StepFail::Browser(format!(
                        "the screenshot `{name}` could not be taken"
                    )));
                }
                rec.files.extend(files);
                rec.url = url;
                Ok(StepDone::Ok)
            }
            Action::WaitText { text } => match self.wait_for_text(text, deadline).await? {
                Ok(_) => Ok(StepDone::Ok),
                Err(_) => Err(StepFail::Expectation(format!(
                    "waited {} s for {}; it did not appear",
                    self.plan.timeout.as_secs_f32(),
                    quote_all(text)
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
            if let Some(word) = snap.has_text(words) {
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
        self.recorder.set_redactor(redactor);
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
                rec.message = Some(format!(
                    "found through {} → {} (add these steps to the script to make it direct)",
                    path.join(" → "),
                    best.candidate.visible_label()
                ));
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
        let mut tick = ticker();
        let started = Instant::now();
        let mut last_count = usize::MAX;
        let mut stable = 0;
        loop {
            tick.tick().await;
            let snap = self.snapshot(&[target]).await?;
            if let Found::Match { best, .. } = choose(&snap, target, Want::Any) {
                if strong(&best) {
                    return Ok(Some(*best));
                }
            }
            // A page that has stopped changing will not show it later: stop early.
            let count = snap.candidates.iter().filter(|c| c.visible).count();
            stable = if count == last_count { stable + 1 } else { 0 };
            last_count = count;
            let quiet = stable >= 5 && started.elapsed() >= Duration::from_millis(300);
            let settled = quiet && !still_loading(&self.page_text().await?.text);
            if settled || Instant::now() >= until {
                // The page may have changed between the two looks (a list rendered just
                // now): one last look at it as it is.
                let snap = self.snapshot(&[target]).await?;
                if let Found::Match { best, .. } = choose(&snap, target, Want::Any) {
                    if strong(&best) {
                        return Ok(Some(*best));
                    }
                }
                return Ok(None);
            }
        }
    }

    /// Breadth-first search through navigation entries (hover menus, links, tabs), never
    /// clicking anything but `navigate` elements. Returns the target and the path to it.
    async fn reveal(
        &self,
        target: &Target,
        depth: u32,
        budget: Instant,
    ) -> Result<Option<(Choice, Vec<String>)>, StepFail> {
        let start = self.browser.current_url().await?;
        let origin = url::Url::parse(&start).ok().map(|u| u.origin());
        let mut queue: VecDeque<MenuNode> = VecDeque::from([MenuNode {
            url: start.clone(),
            opened: Vec::new(),
            labels: Vec::new(),
        }]);
        let mut seen: HashSet<String> = HashSet::from([strip_fragment(&start)]);
        let mut first = true;
        let mut visits = 0;
        while let Some(node) = queue.pop_front() {
            if Instant::now() >= budget || visits >= MAX_REVEAL_VISITS {
                break;
            }
            visits += 1;
            if !first {
                // Going back: re-open the node's page, then its menus.
                self.restore(&node).await?;
                // A page that renders its list late says so (加载中, Loading): `look` waits
                // for it up to here, and stops early on a page that has settled.
                let until = (Instant::now() + self.plan.timeout).min(budget);
                if let Some(best) = self.look(target, until).await? {
                    return Ok(Some((best, node.labels)));
                }
            }
            first = false;
            if node.labels.len() >= depth as usize {
                continue;
            }
            let snap = self.snapshot(&[]).await?;
            let before: HashSet<String> = visible_menus(&snap).map(menu_key).collect();
            let mut menus: Vec<Candidate> = visible_menus(&snap)
                .filter(|c| !node.labels.iter().any(|l| normalize(l) == menu_key(c)))
                .cloned()
                .collect();
            menus.sort_by_key(|c| menu_rank(c.visible_label()));
            for m in menus {
                let mut labels = node.labels.clone();
                labels.push(plain_label(m.visible_label()));
                // A hover menu: does pointing at it show new entries?
                if self.hover(&m).await.is_ok() {
                    let after = self.snapshot(&[target]).await?;
                    if let Found::Match { best, .. } = choose(&after, target, Want::Any) {
                        if strong(&best) {
                            return Ok(Some((*best, labels)));
                        }
                    }
                    let new = visible_menus(&after).any(|c| !before.contains(&menu_key(c)));
                    if new {
                        let mut opened = node.opened.clone();
                        opened.push(MenuOpen::Hover(m.clone()));
                        queue.push_back(MenuNode {
                            url: node.url.clone(),
                            opened,
                            labels: labels.clone(),
                        });
                    }
                }
                match same_origin_link(&m, &node.url, origin.as_ref()) {
                    // A link: its page is re-opened directly, once.
                    Some(link) if seen.insert(strip_fragment(&link)) => {
                        queue.push_back(MenuNode {
                            url: link,
                            opened: Vec::new(),
                            labels,
                        });
                    }
                    Some(_) => {}
                    None if m.href.is_empty()
                        || m.href.starts_with("javascript")
                        || m.href.starts_with('#') =>
                    {
                        let mut opened = node.opened.clone();
                        opened.push(MenuOpen::Click(m.clone()));
                        queue.push_back(MenuNode {
                            url: node.url.clone(),
                            opened,
                            labels,
                        });
                    }
                    // Another site: not part of this platform.
                    None => {}
                }
            }
        }
        Ok(None)
    }

    /// Puts the page back in a node's state: its URL, then the menus opened on it.
    async fn restore(&self, node: &MenuNode) -> Result<(), StepFail> {
        self.browser.goto(&node.url).await?;
        for open in &node.opened {
            match open {
                MenuOpen::Hover(c) => self.hover(c).await?,
                MenuOpen::Click(c) => {
                    // The same element, re-found by its words on the re-opened page.
                    let until = Instant::now() + Duration::from_millis(1500);
                    let t = Target::keywords(vec![c.visible_label().to_string()]);
                    let Some(again) = self.look(&t, until).await? else {
                        return Ok(());
                    };
                    if intent_of(&again.candidate) != Intent::Navigate {
                        return Ok(());
                    }
                    self.click(&again.candidate).await?;
                }
            }
        }
        Ok(())
    }

    async fn switch_off(
        &mut self,
        target: &Target,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        // Poll until the named service can be read: a page that renders late shows its
        // title before its state, and another service's words are never this one's.
        let mut tick = ticker();
        let started = Instant::now();
        let (decision, snap) = loop {
            tick.tick().await;
            let snap = self.snapshot_all(&[target]).await?;
            let decision = service::decide(&snap, target);
            let settled = settled(&snap, started);
            match &decision {
                Decision::Act { .. } | Decision::AlreadyOff(_) => break (decision, snap),
                Decision::Missing if settled => nothing_to_cancel(&self.page_text().await?)?,
                Decision::NothingHere(words) if settled => {
                    return Err(StepFail::NothingToCancel(format!(
                        "nothing to cancel: the page says “{words}” ({}); this account has no membership or auto-renew service to turn off",
                        snap.url
                    )))
                }
                _ => {}
            }
            if Instant::now() >= deadline {
                break (decision, snap);
            }
        };
        let (service, element) = match decision {
            Decision::Act { service, element } => (service, element),
            Decision::AlreadyOff(service) => {
                rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
                rec.switch_before = Some(SwitchState::Off);
                rec.switch_after = Some(SwitchState::Off);
                self.switch_first.get_or_insert(SwitchState::Off);
                self.switch_last = Some(SwitchState::Off);
                rec.message = Some(format!(
                    "already off: nothing to change ({})",
                    service.read_from
                ));
                return Ok(StepDone::AlreadyOff);
            }
            Decision::NoControl(service) => {
                rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
                rec.switch_before = Some(SwitchState::On);
                self.switch_first.get_or_insert(SwitchState::On);
                self.switch_last = Some(SwitchState::On);
                return Err(StepFail::NotFound(format!(
                    "auto-renew of “{}” is on ({}), but no switch or cancel entry for it is on this page: add a `find` with `reveal` or a `click` on its manage page before this step",
                    service.anchor.visible_label(),
                    service.read_from
                )));
            }
            Decision::Unreadable(what) => {
                self.switch_first.get_or_insert(SwitchState::Unknown);
                self.switch_last = Some(SwitchState::Unknown);
                return Err(StepFail::NotFound(format!(
                    "could not read whether auto-renew is on; read: {what}"
                )));
            }
            Decision::NothingHere(words) => {
                return Err(StepFail::NothingToCancel(format!(
                    "nothing to cancel: the page says “{words}” ({})",
                    snap.url
                )))
            }
            Decision::Missing => {
                let found = choose(&snap, target, Want::Any);
                return Err(StepFail::NotFound(not_found_message(target, &found, &snap)));
            }
        };
        rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
        rec.switch_before = Some(SwitchState::On);
        self.switch_target = Some(target.clone());
        self.switch_first.get_or_insert(SwitchState::On);
        self.switch_last = Some(SwitchState::On);
        let by_service = element.switch_like || service::ends_something(&element);
        let action_choice = Choice {
            // The service's own switch or the control that ends it: a cancellation.
            intent: if by_service {
                Intent::CancelRenewal
            } else {
                intent_of(&element)
            },
            candidate: (*element).clone(),
            score: 0,
            quality: MatchQuality::Exact,
            via: "keywords",
            drift: None,
        };
        let go = self.guard(&action_choice, None, true, "turn auto-renew off")?;
        rec.found = Some(self.found_record(&action_choice));
        if !go {
            rec.status = StepStatus::Located;
            rec.message = Some(format!(
                "auto-renew is on ({}); would click “{}”",
                service.read_from,
                action_choice.candidate.visible_label()
            ));
            return Ok(StepDone::StopBeforeChange);
        }
        let windows = self.browser.window_count().await.unwrap_or(1);
        self.click(&action_choice.candidate).await?;
        self.changed = true;
        if self
            .browser
            .follow_new_window(windows)
            .await
            .unwrap_or(false)
        {
            rec.message = Some("the change continues in a new tab: followed it".into());
        }
        // A real switch flips at once; a cancel entry opens the confirmation chain, and the
        // state is unknown until the page says it.
        self.switch_last = Some(SwitchState::Unknown);
        if action_choice.candidate.switch_like {
            if let Ok(snap) = self.snapshot_all(&[target]).await {
                let after = service::state(&snap, target).0;
                rec.switch_after = Some(after);
                // Still on: the switch waits for the confirmation that follows.
                if after == SwitchState::Off {
                    self.switch_last = Some(after);
                }
            }
        }
        Ok(StepDone::Ok)
    }

    /// After a change, the state the page now states in words (已关闭自动续费), when no
    /// switch was read after it.
    pub async fn read_final_state(&mut self) {
        if !self.changed || self.switch_last == Some(SwitchState::Off) {
            return;
        }
        // The page may still be on its way (a redirect after the last press, a list that
        // renders late): look again for a moment.
        let until = Instant::now() + Duration::from_secs(3).min(self.plan.timeout);
        let mut tick = ticker();
        loop {
            tick.tick().await;
            if let Some(state) = self.final_state_now().await {
                self.switch_last = Some(state);
                if state == SwitchState::Off {
                    return;
                }
            }
            if Instant::now() >= until {
                return;
            }
        }
    }

    /// The state after the change: the changed service read on its own; else the page's
    /// words, when every statement on it agrees or it says the change succeeded.
    async fn final_state_now(&self) -> Option<SwitchState> {
        if let Some(target) = &self.switch_target {
            if let Ok(snap) = self.snapshot_all(&[target]).await {
                let (state, _) = service::state(&snap, target);
                if state != SwitchState::Unknown {
                    return Some(state);
                }
            }
        }
        let snap = self.page_text().await.ok()?;
        let said = statements(&snap.text);
        if let Some(first) = said.first() {
            if said.iter().all(|s| s.state == first.state) {
                return Some(first.state);
            }
        }
        says_success(&snap.text).then_some(SwitchState::Off)
    }

    /// Gets through the chain that follows a change: native alerts, dialogs, sheets or
    /// pages; ticks acknowledgements, picks a reason, and always takes the proceed path. Each
    /// press must change something (a dialog, a page, a tab); pressing the same thing twice
    /// is an error that says what was seen, never a loop.
    async fn confirm(
        &mut self,
        words: &ConfirmWords,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let mut hops: Vec<String> = Vec::new();
        let mut done: HashSet<String> = HashSet::new();
        let mut presses = 0;
        let mut waited: Option<String> = None;
        let mut tick = ticker();
        while presses < MAX_HOPS {
            tick.tick().await;
            if let Some(text) = self.browser.alert_text().await? {
                let intent = if says_success(&text) {
                    "notice"
                } else {
                    "confirm"
                };
                self.browser.accept_alert().await?;
                hops.push(format!("native {intent} “{text}” → accepted"));
                presses += 1;
                continue;
            }
            let snap = self.snapshot_all(&[]).await?;
            match next_move(&snap, words, &done) {
                Move::Tick(c) => {
                    self.click(&c).await?;
                    done.insert(flow_key(&c));
                    hops.push(format!("ticked “{}”", plain_words(&c)));
                }
                Move::Reason(c) => {
                    self.click(&c).await?;
                    done.insert(flow_key(&c));
                    hops.push(format!("reason “{}”", c.visible_label()));
                }
                Move::WaitEnabled(c) => {
                    if Instant::now() >= deadline {
                        return Err(StepFail::NotFound(format!(
                            "“{}” stayed disabled for {} s; went through: {}",
                            c.visible_label(),
                            self.plan.timeout.as_secs_f32(),
                            or_nothing(&hops)
                        )));
                    }
                    waited.get_or_insert_with(|| {
                        format!("waited for “{}” to be enabled", c.visible_label())
                    });
                }
                Move::Proceed(c) => {
                    let k = flow_key(&c);
                    if done.contains(&k) {
                        return Err(StepFail::NotFound(format!(
                            "pressed “{}” and nothing changed: the page still shows it{}; went through: {}. The platform may want something this step does not give (a code, a password, a choice)",
                            c.visible_label(),
                            dialog_words(&snap),
                            or_nothing(&hops)
                        )));
                    }
                    let before = page_signature(&snap);
                    let windows = self.browser.window_count().await.unwrap_or(1);
                    if let Some(w) = waited.take() {
                        hops.push(w);
                    }
                    self.click(&c).await?;
                    done.insert(k);
                    presses += 1;
                    hops.push(format!("“{}”", c.visible_label()));
                    self.changed = true;
                    if self
                        .browser
                        .follow_new_window(windows)
                        .await
                        .unwrap_or(false)
                    {
                        hops.push("a new tab".into());
                        continue;
                    }
                    self.wait_for_change(&before).await?;
                }
                Move::Refuse(why) => {
                    if !hops.is_empty() || says_success(&self.page_text().await?.text) {
                        break;
                    }
                    if Instant::now() >= deadline {
                        return Err(StepFail::Refused(format!(
                            "the only choices offered are {why}: none proceeds with the cancellation, so the guard clicks none"
                        )));
                    }
                }
                Move::Nothing => {
                    if !hops.is_empty() || says_success(&self.page_text().await?.text) {
                        break;
                    }
                    if Instant::now() >= deadline {
                        return Err(StepFail::NotFound(
                            "no confirmation to go through: no dialog or button that proceeds with the cancellation".into(),
                        ));
                    }
                }
            }
        }
        rec.message = Some(format!("went through: {}", or_nothing(&hops)));
        Ok(StepDone::Ok)
    }

    /// After a press: waits (a moment) for an alert, another page, or a change of what the
    /// page offers.
    async fn wait_for_change(&self, before: &str) -> Result<(), StepFail> {
        let settle = Instant::now() + Duration::from_secs(3).min(self.plan.timeout);
        let mut wait = ticker();
        loop {
            wait.tick().await;
            if self.browser.alert_text().await?.is_some() {
                return Ok(());
            }
            let Ok(now) = self.snapshot_all(&[]).await else {
                return Ok(());
            };
            if page_signature(&now) != before || Instant::now() >= settle {
                return Ok(());
            }
        }
    }
}

/// What the page offers, in one line: its URL, its open dialogs and its visible controls.
fn page_signature(snap: &Snapshot) -> String {
    let mut sig = format!("{}|{}|", strip_fragment(&snap.url), snap.dialogs.join("/"));
    for c in snap
        .candidates
        .iter()
        .filter(|c| c.visible && c.interactive)
    {
        sig.push_str(&flow_key(c));
        sig.push(if c.enabled { '+' } else { '-' });
        sig.push(match c.checked {
            Some(true) => '1',
            Some(false) => '0',
            None => '_',
        });
    }
    sig
}

fn dialog_words(snap: &Snapshot) -> String {
    match snap.dialogs.first() {
        Some(d) => format!(" (dialog: “{}”)", d.chars().take(80).collect::<String>()),
        None => String::new(),
    }
}

fn or_nothing(hops: &[String]) -> String {
    if hops.is_empty() {
        "nothing".into()
    } else {
        hops.join(" → ")
    }
}

fn plain_words(c: &Candidate) -> String {
    let l = if c.label.trim().is_empty() {
        c.visible_label()
    } else {
        c.label.trim()
    };
    l.to_string()
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

/// A service's anchor as a choice, for the record.
fn anchor_choice(c: &Candidate) -> Choice {
    Choice {
        candidate: c.clone(),
        score: 0,
        quality: MatchQuality::Exact,
        intent: intent_of(c),
        via: "keywords",
        drift: None,
    }
}

/// A page state during `reveal`: a URL and the menus opened on it, and how it was reached.
struct MenuNode {
    url: String,
    opened: Vec<MenuOpen>,
    labels: Vec<String>,
}

#[derive(Clone)]
enum MenuOpen {
    Hover(Candidate),
    Click(Candidate),
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
        Some(words) => Err(StepFail::NothingToCancel(format!(
            "nothing to cancel: the page says “{words}” ({}); this account has no membership or auto-renew service to turn off",
            snap.url
        ))),
        None => Ok(()),
    }
}

/// A menu's words without the arrows and chevrons drawn next to them, for the reported path.
fn plain_label(label: &str) -> String {
    label
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '▾' | '▼' | '›' | '»' | '>'))
        .to_string()
}

/// `reveal` gives up after this many page states.
const MAX_REVEAL_VISITS: usize = 60;

/// The entries `reveal` may open: visible navigation, never a commit, decoy or stay element.
fn visible_menus(snap: &Snapshot) -> impl Iterator<Item = &Candidate> {
    snap.candidates
        .iter()
        .filter(|c| c.visible && c.interactive && c.enabled && !c.editable)
        .filter(|c| intent_of(c) == Intent::Navigate)
}

/// The absolute URL a navigation link leads to, when it stays on the platform.
fn same_origin_link(c: &Candidate, base: &str, origin: Option<&url::Origin>) -> Option<String> {
    if c.href.is_empty() || c.href.starts_with("javascript") || c.href.starts_with('#') {
        return None;
    }
    let link = url::Url::parse(base).ok()?.join(&c.href).ok()?;
    (Some(&link.origin()) == origin).then(|| link.to_string())
}

fn strip_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

fn menu_key(c: &Candidate) -> String {
    normalize(c.visible_label())
}

/// Deeper, more specific entries first: 服务详情 before 会员中心 before 设置.
fn menu_rank(label: &str) -> usize {
    const ORDER: [&str; 14] = [
        "自动续费管理",
        "续费管理",
        "续费设置",
        "服务详情",
        "修改套餐",
        "管理会员",
        "会员管理",
        "当前会员",
        "我的权益",
        "会员中心",
        "支付设置",
        "账号与安全",
        "设置",
        "更多",
    ];
    let t = normalize(label);
    ORDER
        .iter()
        .position(|w| t.contains(&normalize(w)))
        .unwrap_or(ORDER.len())
}

fn quote_all(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("“{w}”"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn not_found_message(target: &Target, found: &Found, snap: &Snapshot) -> String {
    let what = target.describe();
    match found {
        Found::PresentButHidden(hidden) => {
            let first = &hidden[0];
            format!(
                "{what}: present but hidden (“{}” at `{}`, {}); open the menu that shows it first (a `hover`, a `click`, or `find` with `reveal`)",
                first.visible_label(),
                first.location(),
                first.hidden_reason.as_deref().unwrap_or("not visible")
            )
        }
        _ => format!(
            "{what}: not found on {} (“{}”); check the keywords, or whether this account has anything to cancel",
            snap.url, snap.title
        ),
    }
}
