//! `confirm`: the chain after a change, one move at a time (`locate::flow`); each press must
//! change the page.

use super::*;

impl Exec<'_> {
    /// Gets through the chain that follows a change: native alerts, dialogs, sheets or
    /// pages; ticks acknowledgements, picks a reason, and always takes the proceed path. Each
    /// press must change something (a dialog, a page, a tab); pressing the same thing twice
    /// is an error that says what was seen, never a loop.
    pub(super) async fn confirm(
        &mut self,
        words: &ConfirmWords,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let mut hops: Vec<Said> = Vec::new();
        let mut done: HashSet<String> = HashSet::new();
        let mut presses = 0;
        let mut waited: Option<Said> = None;
        // Since when nothing more is offered after a press: the next dialog may still be
        // sliding in, or the next page loading.
        let mut quiet_since: Option<Instant> = None;
        let mut tick = ticker();
        while presses < MAX_HOPS {
            tick.tick().await;
            if let Some(hop) = self.answer_alert().await? {
                hops.push(hop);
                presses += 1;
                continue;
            }
            let snap = self.snapshot_all(&[]).await?;
            let next = next_move(&snap, words, &done);
            if !matches!(next, Move::Nothing | Move::Refuse(_)) {
                quiet_since = None;
            }
            match next {
                Move::Tick(c) => {
                    self.click(&c).await?;
                    done.insert(flow_key(&c));
                    hops.push(said!("hop.ticked", words = plain_words(&c)));
                }
                Move::Reason(c) => {
                    self.click(&c).await?;
                    done.insert(flow_key(&c));
                    hops.push(said!("hop.reason", label = c.visible_label()));
                }
                Move::WaitEnabled(c) => {
                    if Instant::now() >= deadline {
                        return Err(StepFail::NotFound(said!(
                            "fail.stayed_disabled",
                            label = c.visible_label(),
                            secs = self.plan.timeout.as_secs_f32(),
                            hops = or_nothing(&hops)
                        )));
                    }
                    waited.get_or_insert_with(|| said!("hop.waited", label = c.visible_label()));
                }
                Move::Proceed(c) => {
                    let k = flow_key(&c);
                    if done.contains(&k) {
                        return Err(StepFail::NotFound(said!(
                            "fail.pressed_nothing_changed",
                            label = c.visible_label(),
                            dialog = dialog_words(&snap),
                            hops = or_nothing(&hops)
                        )));
                    }
                    self.evidence_before_change().await?;
                    let before = page_signature(&snap);
                    let windows = self.browser.window_count().await.unwrap_or(1);
                    if let Some(w) = waited.take() {
                        hops.push(w);
                    }
                    self.click(&c).await?;
                    done.insert(k);
                    presses += 1;
                    hops.push(said!("hop.pressed", label = c.visible_label()));
                    self.changed = true;
                    if self
                        .browser
                        .follow_new_window(windows)
                        .await
                        .unwrap_or(false)
                    {
                        hops.push(said!("hop.new_tab"));
                        continue;
                    }
                    self.wait_for_change(&before).await?;
                }
                Move::Refuse(why) => {
                    if says_success(&self.page_text().await?.text) {
                        break;
                    }
                    if !hops.is_empty() {
                        if quiet_enough(&mut quiet_since, deadline) {
                            break;
                        }
                        continue;
                    }
                    if Instant::now() >= deadline {
                        return Err(StepFail::Refused(said!("fail.only_decoys", why = why)));
                    }
                }
                Move::Nothing => {
                    if says_success(&self.page_text().await?.text) {
                        break;
                    }
                    if !hops.is_empty() {
                        if quiet_enough(&mut quiet_since, deadline) {
                            break;
                        }
                        continue;
                    }
                    if Instant::now() >= deadline {
                        return Err(StepFail::NotFound(said!("fail.no_confirmation")));
                    }
                }
            }
        }
        rec.say(
            &said!("note.went_through", hops = or_nothing(&hops)),
            &self.redactor,
        );
        Ok(StepDone::Ok)
    }

    /// A native alert or confirm, accepted: the hop it makes. None when there is none.
    async fn answer_alert(&self) -> Result<Option<Said>, StepFail> {
        let Some(text) = self.browser.alert_text().await? else {
            return Ok(None);
        };
        let hop = if says_success(&text) {
            said!("hop.native_notice", text = text)
        } else {
            said!("hop.native_confirm", text = text)
        };
        self.browser.accept_alert().await?;
        Ok(Some(hop))
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

/// How long `confirm` keeps looking, after a press, for a next step that is still coming
/// (a sheet sliding in, a page loading) before it takes the chain as done.
const NEXT_STEP_GRACE: Duration = Duration::from_millis(1500);

/// Nothing more offered since a press: the chain is done once that has lasted the grace
/// (or the step's time is up).
fn quiet_enough(quiet_since: &mut Option<Instant>, deadline: Instant) -> bool {
    let since = *quiet_since.get_or_insert_with(Instant::now);
    since.elapsed() >= NEXT_STEP_GRACE || Instant::now() >= deadline
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

fn or_nothing(hops: &[Said]) -> Said {
    if hops.is_empty() {
        said!("hop.nothing")
    } else {
        Said::Chain(hops.to_vec())
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
