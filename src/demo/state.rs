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
    pub password: String,
    pub audit: Audit,
    /// When auto-renew last changed: pages that lag show the old value for a moment.
    pub renew_changed_at: Option<Instant>,
    /// Text messages sent to this user's demo phone, and the code they carry.
    pub sms: Vec<String>,
    pub sms_code: Option<String>,
}

/// How long a changed auto-renew state takes to show on the pages that lag (the article's
/// 1–2 hours, shortened to a moment).
pub const SYNC_DELAY: std::time::Duration = std::time::Duration::from_millis(1500);

/// The demo users. Passwords are public: this is a demo platform on 127.0.0.1.
pub const DEMO_PASSWORD: &str = "jieyue-demo-2026";

pub struct DemoState {
    started: Instant,
    pub accounts: BTreeMap<String, Account>,
    /// Where the demo phone also writes each code it receives, when set.
    pub sms_file: Option<std::path::PathBuf>,
    /// Every demo account's password (`jieyue demo --password` sets another).
    pub password: String,
    /// Login sessions: cookie token → user. They outlive a browser (a saved profile).
    pub sessions: BTreeMap<String, String>,
    /// Image captchas shown: id → answer (the last one is what `/__demo/captcha` tells).
    pub captchas: Vec<(String, String)>,
    /// QR logins waiting for a phone to scan them: token → the user who confirmed.
    pub qr: BTreeMap<String, Option<String>>,
    /// The next SMS code per user, when a test fixes it in advance.
    pub next_sms: BTreeMap<String, String>,
    serial: u64,
}

impl DemoState {
    pub fn new() -> Self {
        let mut state = DemoState {
            started: Instant::now(),
            accounts: BTreeMap::new(),
            sms_file: None,
            password: DEMO_PASSWORD.to_string(),
            sessions: BTreeMap::new(),
            captchas: Vec::new(),
            qr: BTreeMap::new(),
            next_sms: BTreeMap::new(),
            serial: 0,
        };
        state.reset();
        state
    }

    /// Back to the starting states: `demo` and `13812345678` (renewal on), `renewed-off`
    /// (already off), `no-member` (nothing to cancel), `acct01`…`acct20` (renewal on).
    pub fn reset(&mut self) {
        self.accounts.clear();
        self.sessions.clear();
        self.captchas.clear();
        self.qr.clear();
        self.next_sms.clear();
        // acct01 … acct20: renewal on, for batch runs and benchmarks of many accounts.
        let many: Vec<String> = (1..=20).map(|i| format!("acct{i:02}")).collect();
        let accounts = [
            ("demo", true, true),
            ("13812345678", true, true),
            ("renewed-off", false, true),
            ("no-member", false, false),
        ]
        .into_iter()
        .chain(many.iter().map(|u| (u.as_str(), true, true)));
        for (user, renew, active) in accounts {
            self.accounts.insert(
                user.to_string(),
                Account {
                    password: self.password.clone(),
                    audit: Audit {
                        user: user.to_string(),
                        auto_renew: renew,
                        membership_active: active,
                        mutations: Vec::new(),
                        decoy_clicks: Vec::new(),
                        refund_requests: 0,
                        logins: 0,
                    },
                    renew_changed_at: None,
                    sms: Vec::new(),
                    sms_code: None,
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

    /// Turns auto-renew on or off, recording when (for the pages that lag).
    pub fn set_auto_renew(&mut self, user: &str, on: bool) {
        if let Some(account) = self.accounts.get_mut(user) {
            account.audit.auto_renew = on;
            account.renew_changed_at = Some(Instant::now());
        }
    }

    /// The auto-renew state a lagging page shows, and whether it is still catching up.
    pub fn lagging_auto_renew(&self, user: &str) -> Option<(bool, bool)> {
        let account = self.accounts.get(user)?;
        let now = account.audit.auto_renew;
        let syncing = account
            .renew_changed_at
            .is_some_and(|at| at.elapsed() < SYNC_DELAY);
        Some((if syncing { !now } else { now }, syncing))
    }

    /// A token no one can guess from the outside (a demo: not cryptographic, but unique).
    pub fn token(&mut self, what: &str) -> String {
        self.serial += 1;
        let seed = format!("{what}:{}:{:?}", self.serial, self.started.elapsed());
        {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(seed.as_bytes());
            digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
        }
    }

    /// A new login session for `user`; returns the cookie token.
    pub fn new_session(&mut self, user: &str) -> String {
        let token = self.token("session");
        self.sessions.insert(token.clone(), user.to_string());
        token
    }

    /// A new image captcha: (id, answer).
    pub fn new_captcha(&mut self) -> (String, String) {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let id = self.token("captcha");
        let answer: String = id
            .bytes()
            .take(5)
            .map(|b| CHARS[(b as usize * 7) % CHARS.len()] as char)
            .collect();
        self.captchas.push((id.clone(), answer.clone()));
        (id, answer)
    }

    /// Sends a verification code to the user's demo phone; returns it.
    pub fn send_sms(&mut self, user: &str) -> Option<String> {
        let nanos = self.started.elapsed().as_nanos();
        let code = self
            .next_sms
            .remove(user)
            .unwrap_or_else(|| format!("{:06}", (nanos * 7919 + 104_729) % 1_000_000));
        let account = self.accounts.get_mut(user)?;
        account.sms.push(format!(
            "【演示平台】您的验证码是 {code}，5分钟内有效，请勿告诉他人。"
        ));
        account.sms_code = Some(code.clone());
        Some(code)
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
