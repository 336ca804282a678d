//! `switch_off`: read the named service (`locate::service`), act on it, and read its state
//! again at the end of the run.

use super::*;

impl Exec<'_> {
    pub(super) async fn switch_off(
        &mut self,
        target: &Target,
        deadline: Instant,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        let (decision, snap) = self.read_service(target, deadline).await?;
        let (service, element) = match decision {
            Decision::Act { service, element } => (service, element),
            Decision::AlreadyOff(service) => {
                rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
                rec.switch_before = Some(SwitchState::Off);
                rec.switch_after = Some(SwitchState::Off);
                self.switch_first.get_or_insert(SwitchState::Off);
                self.switch_last = Some(SwitchState::Off);
                rec.say(
                    &said!("note.already_off", read = &service.read_from),
                    &self.redactor,
                );
                return Ok(StepDone::AlreadyOff);
            }
            Decision::NoControl(service) => {
                rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
                rec.switch_before = Some(SwitchState::On);
                self.switch_first.get_or_insert(SwitchState::On);
                self.switch_last = Some(SwitchState::On);
                return Err(StepFail::NotFound(said!(
                    "fail.no_control",
                    label = service.anchor.visible_label(),
                    read = &service.read_from
                )));
            }
            Decision::Unreadable(what) => {
                self.switch_first.get_or_insert(SwitchState::Unknown);
                self.switch_last = Some(SwitchState::Unknown);
                return Err(StepFail::NotFound(said!("fail.unreadable", read = what)));
            }
            Decision::NothingHere(words) => {
                return Err(StepFail::NothingToCancel(said!(
                    "fail.nothing_to_cancel",
                    words = words,
                    url = &snap.url
                )))
            }
            Decision::Missing => {
                let found = choose(&snap, target, Want::Any);
                return Err(StepFail::NotFound(not_found_message(target, &found, &snap)));
            }
        };
        self.turn_off(target, &service, &element, rec).await
    }

    /// Polls until the named service can be read: a page that renders late shows its title
    /// before its state, and another service's words are never this one's.
    async fn read_service(
        &self,
        target: &Target,
        deadline: Instant,
    ) -> Result<(Decision, Snapshot), StepFail> {
        let mut tick = ticker();
        let started = Instant::now();
        loop {
            tick.tick().await;
            let snap = self.snapshot_all(&[target]).await?;
            let decision = service::decide(&snap, target);
            let settled = settled(&snap, started);
            match &decision {
                Decision::Act { .. } | Decision::AlreadyOff(_) => return Ok((decision, snap)),
                Decision::Missing if settled => nothing_to_cancel(&self.page_text().await?)?,
                Decision::NothingHere(words) if settled => {
                    return Err(StepFail::NothingToCancel(said!(
                        "fail.nothing_to_cancel",
                        words = words,
                        url = &snap.url
                    )))
                }
                _ => {}
            }
            if Instant::now() >= deadline {
                return Ok((decision, snap));
            }
        }
    }

    /// The service reads on: the guard decides, then its switch or cancel entry is clicked
    /// (dry-run stops here), following a new tab if the change continues in one.
    async fn turn_off(
        &mut self,
        target: &Target,
        service: &service::Service,
        element: &Candidate,
        rec: &mut StepRecord,
    ) -> Result<StepDone, StepFail> {
        rec.found = Some(self.found_record(&anchor_choice(&service.anchor)));
        rec.switch_before = Some(SwitchState::On);
        self.switch_target = Some(target.clone());
        self.switch_first.get_or_insert(SwitchState::On);
        self.switch_last = Some(SwitchState::On);
        let by_service = element.switch_like || service::ends_something(element);
        let action_choice = Choice {
            // The service's own switch or the control that ends it: a cancellation.
            intent: if by_service {
                Intent::CancelRenewal
            } else {
                intent_of(element)
            },
            candidate: element.clone(),
            score: 0,
            quality: MatchQuality::Exact,
            via: "keywords",
            drift: None,
        };
        let go = self.guard(&action_choice, None, true, "turn auto-renew off")?;
        rec.found = Some(self.found_record(&action_choice));
        if !go {
            rec.status = StepStatus::Located;
            rec.say(
                &said!(
                    "note.would_click",
                    read = &service.read_from,
                    label = action_choice.candidate.visible_label()
                ),
                &self.redactor,
            );
            return Ok(StepDone::StopBeforeChange);
        }
        self.evidence_before_change().await?;
        let windows = self.browser.window_count().await.unwrap_or(1);
        self.click(&action_choice.candidate).await?;
        self.changed = true;
        if self
            .browser
            .follow_new_window(windows)
            .await
            .unwrap_or(false)
        {
            rec.say(&said!("note.change_new_tab"), &self.redactor);
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
