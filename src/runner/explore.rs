//! `jieyue explore`: no script yet. Opens the platform, logs in through its own form, and
//! searches its navigation for the renewal settings of the account's memberships — reading
//! each one's state and locating what turns it off, never pressing it. Every page it looked
//! at goes to the evidence folder, with the found controls outlined.

use std::time::{Duration, Instant};

use super::steps::explore::LoginSeen;
use super::steps::reveal::{describe_path, Hop, HopKind, Trail};
use super::steps::Exec;
use super::{bounded, cancelled, interrupted, walk, RunOptions, StepFail};
use crate::browser::Browser;
use crate::locate::survey::Membership;
use crate::record::{Outcome, RunRecord, Sink};
use crate::said;
use crate::said::Said;
use crate::script::{Draft, FieldDraft, LoginDraft, MoveDraft, Plan, ServiceDraft};

/// What the person gave: the account (the password is the plan's `password` secret), how
/// many page states to look at, and which membership they mean.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub account: Option<String>,
    pub max_visits: usize,
    pub service: Option<String>,
}

/// What the exploration saw.
#[derive(Debug)]
pub struct Exploration {
    pub record: RunRecord,
    pub(crate) login: Option<LoginSeen>,
    pub(crate) path: Vec<Hop>,
    pub found: Vec<Membership>,
    pub dialog_password: Option<Vec<String>>,
    /// Every page state looked at: the way to it, and its URL.
    pub visited: Vec<(String, String)>,
    /// Navigation moves made (hovers, clicks, pages opened).
    pub moves: usize,
    pub elapsed: Duration,
    /// The way to a page that shows renewal settings, when the search reached one.
    pub reached: Option<String>,
}

impl Exploration {
    /// The script that does what was found: the draft for `script::Draft::checked`.
    pub fn draft(&self, plan: &Plan, explored_at: &str) -> Option<Draft> {
        if self.found.is_empty() {
            return None;
        }
        let url = url::Url::parse(&plan.start).ok()?;
        let base_url = url.origin().ascii_serialization();
        let mut start_path = url.path().to_string();
        if let Some(q) = url.query() {
            start_path = format!("{start_path}?{q}");
        }
        let by_person = self.login.as_ref().is_some_and(|l| l.by_person);
        let login = self
            .login
            .as_ref()
            .filter(|l| !l.by_person)
            .map(|l| LoginDraft {
                account: FieldDraft {
                    words: l.account_words.clone(),
                    css: l.account_css.clone(),
                },
                password: FieldDraft {
                    words: l.password_words.clone(),
                    css: l.password_css.clone(),
                },
                submit: l.submit_words.clone(),
                logged_in: l.logged_in.clone(),
            });
        Some(Draft {
            name: plan.name.clone(),
            carrier: plan.carrier,
            base_url,
            start_path,
            explored_at: explored_at.to_string(),
            login,
            path: self
                .path
                .iter()
                .map(|h| MoveDraft {
                    hover: h.kind == HopKind::Hover,
                    label: h.label.clone(),
                })
                .collect(),
            services: self
                .found
                .iter()
                .map(|m| ServiceDraft {
                    keywords: m.keywords(),
                    seen: format!(
                        "{}{}",
                        m.state.as_str(),
                        if m.read_from.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", m.read_from)
                        }
                    ),
                })
                .collect(),
            dialog_password: self.dialog_password.clone(),
            notes: if by_person {
                vec!["The login needed a person: run this script with the saved session (`--profile NAME`, as explore used, or `--cookies FILE`).".into()]
            } else {
                Vec::new()
            },
        })
    }
}

/// Explores from the plan's start page. The plan has no steps: it carries the start, the
/// carrier, the limits and the password secret.
pub async fn explore(
    plan: &Plan,
    opts: &RunOptions,
    req: &Request,
    sink: &mut dyn Sink,
) -> Exploration {
    let started = Instant::now();
    let mut record = walk::new_record(plan, opts, sink.place());
    record.mode = "explore".into();
    let _ = sink.record(&record);
    let mut out = Exploration {
        record: record.clone(),
        login: None,
        path: Vec::new(),
        found: Vec::new(),
        dialog_password: None,
        visited: Vec::new(),
        moves: 0,
        elapsed: Duration::ZERO,
        reached: None,
    };
    let launched = tokio::select! {
        b = Browser::launch(&opts.launch) => Some(b),
        _ = cancelled(opts.hooks.cancel.clone()) => None,
    };
    let browser = match launched {
        None => {
            out.record = finish(record, sink, Outcome::Interrupted, interrupted(), plan);
            return out;
        }
        Some(Err(e)) => {
            let message = said!("fail.browser_start", problem = e.said());
            out.record = finish(record, sink, Outcome::BrowserError, message, plan);
            return out;
        }
        Some(Ok(b)) => b,
    };
    let mut trail = Trail {
        keep_evidence: true,
        ..Trail::default()
    };
    let mut exec = Exec::new(&browser, plan, opts, sink);
    let result = look_around(&mut exec, &browser, plan, opts, req, &mut trail, &mut out).await;
    exec.settle_evidence().await;
    record.steps = std::mem::take(&mut trail.records);
    exec.attach_late_files(&mut record);
    drop(exec);
    browser.close().await;
    out.moves = trail.moves;
    out.visited = trail
        .visited
        .iter()
        .map(|(path, url)| (describe_path(path), url.clone()))
        .collect();
    out.elapsed = started.elapsed();
    let (outcome, message) = match result {
        Ok(()) => conclusion(&out, req),
        Err(fail) => (fail.outcome(), fail.message().clone()),
    };
    if outcome == Outcome::NotFound && !out.found.is_empty() {
        out.found.clear();
    }
    out.record = finish(record, sink, outcome, message, plan);
    out
}

/// The start page, the login, the search.
async fn look_around(
    exec: &mut Exec<'_>,
    browser: &Browser,
    plan: &Plan,
    opts: &RunOptions,
    req: &Request,
    trail: &mut Trail,
    out: &mut Exploration,
) -> Result<(), StepFail> {
    let call = crate::browser::call_limit(plan.timeout);
    bounded(browser, opts, call * 3, async {
        exec.start().await?;
        match exec.page_failure().await {
            Some(fail) => Err(fail),
            None => Ok(()),
        }
    })
    .await?;
    let password = plan.secrets.first().map(|s| s.expose().to_string());
    out.login = bounded(
        browser,
        opts,
        call * 4,
        exec.explore_login(req.account.as_deref(), password.as_deref(), trail),
    )
    .await?;
    let budget = Instant::now() + plan.timeout * 12;
    let found = bounded(
        browser,
        opts,
        plan.timeout * 12 + call * 2,
        exec.explore_search(req.max_visits, req.service.as_deref(), budget, trail),
    )
    .await?;
    if let Some(fail) = exec.page_failure().await {
        return Err(fail);
    }
    if let Some(((found, dialog_password), path)) = found {
        out.reached = Some(describe_path(&path));
        out.found = found;
        out.dialog_password = dialog_password;
        out.path = path;
    }
    Ok(())
}

/// How the exploration ended, for a person.
fn conclusion(out: &Exploration, req: &Request) -> (Outcome, Said) {
    if let (true, Some(way)) = (out.found.is_empty(), &out.reached) {
        return (Outcome::NotFound, said!("explore.apart", way = way));
    }
    if out.found.is_empty() {
        let tried: Vec<&str> = out.visited.iter().map(|(path, _)| path.as_str()).collect();
        let picked = match &req.service {
            Some(name) => said!("explore.named", name = name),
            None => Said::from(""),
        };
        return (
            Outcome::NotFound,
            said!(
                "explore.none",
                named = picked,
                states = out.visited.len(),
                tried = tried.join("; "),
                moves = out.moves
            ),
        );
    }
    let what: Vec<String> = out
        .found
        .iter()
        .map(|m| format!("{} ({})", m.keywords().join(" / "), m.state.as_str()))
        .collect();
    (
        Outcome::Located,
        said!(
            "explore.found",
            what = what.join(", "),
            path = describe_path(&out.path)
        ),
    )
}

fn finish(
    mut record: RunRecord,
    sink: &mut dyn Sink,
    outcome: Outcome,
    message: Said,
    plan: &Plan,
) -> RunRecord {
    super::finish(&mut record, sink, outcome, message, &plan.redactor());
    record
}
