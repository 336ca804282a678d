//! The way out of a platform as a person who knows its markup would script it by hand:
//! the selectors to press, in order, and the words that prove it. The benchmark's peers
//! (Playwright, Selenium) follow it; jieyue does not read it, it finds its way by keywords.

use serde_json::{json, Value};

use super::{screen_id, DialogForm, Entry, Platform, Screen, StateForm};

impl Platform {
    /// `None` for the forms a hand-written selector script would need more than clicks for
    /// (menus to open, a new tab, a frame, a closed-off shadow root).
    pub fn path(&self) -> Option<Value> {
        let direct = matches!(self.entry, Entry::Switch | Entry::Row | Entry::Foot);
        if !direct || self.dialog == DialogForm::Iframe || self.state == StateForm::Shadow {
            return None;
        }
        let spm = |action: &str| format!("[data-spm=\"{}\"]", self.code(action));
        let entry = if self.dialog == DialogForm::Pages && !self.state.is_switch() {
            format!("a[href=\"{}/step/0\"]", self.base())
        } else {
            spm("entry")
        };
        let mut moves = vec![json!({ "click": entry })];
        if self.chain.save && self.state.is_switch() {
            moves.push(json!({ "click": spm("save") }));
        }
        let in_page = self.dialog.in_page();
        let screens = self.screens();
        for (i, screen) in screens.iter().enumerate() {
            let within = if in_page {
                format!("#{} ", screen_id(self, i))
            } else {
                String::new()
            };
            let asks_reason = matches!(screen, Screen::Reason | Screen::Final { reason: true });
            if asks_reason {
                moves.push(json!({ "click": format!("{within}label:has(> input[name=reason])") }));
            }
            if matches!(screen, Screen::Final { .. }) {
                if self.chain.ack {
                    moves.push(json!({ "click": format!("{within}label:has(> input[name=ack])") }));
                }
                moves.push(json!({ "click": spm("final") }));
            } else {
                moves.push(json!({ "click": spm(&format!("next:{i}")) }));
            }
        }
        Some(json!({
            "seed": self.seed,
            "describe": self.describe(),
            "carrier": self.carrier(),
            "start": self.start_path(),
            "service": self.service_name(),
            "term": self.term(),
            "accept_native": self.dialog == DialogForm::Native,
            "moves": moves,
            "success": self.success_text(),
        }))
    }
}
