//! In-memory accounts of the demo platform and their audit trail.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;

/// One thing that happened on the platform that a test may want to count.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Event {
    /// Milliseconds since the server started.
    pub at_ms: u128,
    pub what: String,
}

/// What `/__demo/audit?user=…` reports: the truth the tests check jieyue against.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Audit {
    pub user: String,
    pub auto_renew: bool,
    pub membership_active: bool,
    /// Every request that changed this account (renewal, membership, payments, refunds).
    pub mutations: Vec<Event>,
    /// Clicks on 立即续费 / 升级 / 开通 / 开启自动续费: what a careful person would never click.
    pub decoy_clicks: Vec<Event>,
    pub refund_requests: u32,
    pub logins: u32,
}

pub struct Account {
    pub password: &'static str,
    pub audit: Audit,
}

/// The demo users. Passwords are public: this is a demo platform on 127.0.0.1.
pub const DEMO_PASSWORD: &str = "jieyue-demo-2026";

pub struct DemoState {
    started: Instant,
    pub accounts: BTreeMap<String, Account>,
}

impl DemoState {
    pub fn new() -> Self {
        let mut state = DemoState {
            started: Instant::now(),
            accounts: BTreeMap::new(),
        };
        state.reset();
        state
    }

    /// Back to the starting states: `demo` (renewal on), `renewed-off` (already off),
    /// `no-member` (nothing to cancel).
    pub fn reset(&mut self) {
        self.accounts.clear();
        for (user, renew, active) in [
            ("demo", true, true),
            ("13812345678", true, true),
            ("renewed-off", false, true),
            ("no-member", false, false),
        ] {
            self.accounts.insert(
                user.to_string(),
                Account {
                    password: DEMO_PASSWORD,
                    audit: Audit {
                        user: user.to_string(),
                        auto_renew: renew,
                        membership_active: active,
                        mutations: Vec::new(),
                        decoy_clicks: Vec::new(),
                        refund_requests: 0,
                        logins: 0,
                    },
                },
            );
        }
    }

    fn event(&self, what: &str) -> Event {
        Event {
            at_ms: self.started.elapsed().as_millis(),
            what: what.to_string(),
        }
    }

    pub fn audit_mut(&mut self, user: &str) -> Option<&mut Audit> {
        self.accounts.get_mut(user).map(|a| &mut a.audit)
    }

    pub fn record_mutation(&mut self, user: &str, what: &str) {
        let event = self.event(what);
        if let Some(audit) = self.audit_mut(user) {
            audit.mutations.push(event);
        }
    }

    pub fn record_decoy(&mut self, user: &str, what: &str) {
        let event = self.event(what);
        if let Some(audit) = self.audit_mut(user) {
            audit.decoy_clicks.push(event.clone());
            audit.mutations.push(event);
        }
    }
}

impl Default for DemoState {
    fn default() -> Self {
        Self::new()
    }
}
