//! `explore`'s moves in the browser: a login through a form no script describes, then a
//! search of the navigation for the renewal settings. Nothing here presses a commit: the
//! login button, navigation entries and hovers only.

use super::reveal::{Goal, Hop, Trail};
use super::*;
use crate::locate::survey::{self, Membership};
use crate::said;

/// How the login went, in the words the script will use.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoginSeen {
    pub account_words: Vec<String>,
    pub account_css: String,
    pub password_words: Vec<String>,
    pub password_css: String,
    pub submit_words: Vec<String>,
    /// Words the page showed only after the login.
    pub logged_in: Vec<String>,
    /// A person logged in in the window (`--pause-on-login`): nothing of it can be replayed.
    pub by_person: bool,
}

/// What the search found: the memberships on the page it reached, and a password field
/// waiting in a dialog there (its words).
pub(crate) type Finding = (Vec<Membership>, Option<Vec<String>>);

/// How long a login may take to leave its form.
const LOGIN_WAIT: Duration = Duration::from_secs(10);

impl Exec<'_> {
    /// Logs in through the page's own form when it has one. Ok(None) when the page asks for
    /// no login. A login that needs a person (a code, or credentials not given) stops with
    /// `CodeNeeded`, saying how to go on.
    pub(crate) async fn explore_login(
        &mut self,
        account: Option<&str>,
        password: Option<&str>,
        trail: &mut Trail,
    ) -> Result<Option<LoginSeen>, StepFail> {
        let page = self.settled_page().await?;
        let Some(form) = survey::login_form(&page) else {
            return Ok(None);
        };
        let needs_person = form.code.is_some()
            || account.is_none()
            || password.is_none()
            || form.account.is_none()
            || form.password.is_none();
        if needs_person && self.opts.pause_on_login {
            return self.person_logs_in(trail).await;
        }
        if let Some(code) = &form.code {
            return Err(StepFail::CodeNeeded(said!(
                "fail.login_code",
                label = code.visible_label()
            )));
        }
        let (Some(account_field), Some(password_field)) = (&form.account, &form.password) else {
            return Err(StepFail::NotFound(said!("fail.login_no_account_field")));
        };
        let (Some(account), Some(password)) = (account, password) else {
            return Err(StepFail::CodeNeeded(said!("fail.login_credentials")));
        };
        let Some(submit) = form.submit.clone() else {
            return Err(StepFail::NotFound(said!("fail.login_no_button")));
        };
        let before = self.page_text().await?;
        self.fill(account_field, account, Typing::Value).await?;
        self.fill(password_field, password, Typing::Value).await?;
        self.click(&submit).await?;
        trail.moves += 1;
        self.left_login(&password_field.css).await?;
        let logged_in = survey::logged_in_words(&before, &self.page_text().await?);
        self.keep_visit(&[], trail, "logged in", &[]).await;
        let submit_words = vec![submit.visible_label().trim().to_string()];
        Ok(Some(LoginSeen {
            account_words: survey::field_words(account_field),
            account_css: account_field.css.clone(),
            password_words: survey::field_words(password_field),
            password_css: password_field.css.clone(),
            submit_words,
            logged_in,
            by_person: false,
        }))
    }

    /// `--headed --pause-on-login`: a person logs in in the window (a code, a QR scan, a
    /// slider); explore goes on once the login form is gone. The script it writes then
    /// expects a saved session (`--profile`), as nothing of the login can be replayed.
    async fn person_logs_in(&mut self, trail: &mut Trail) -> Result<Option<LoginSeen>, StepFail> {
        eprintln!("请在浏览器窗口中登录（验证码、扫码或滑块），登录后 jieyue 会继续 · log in in the browser window; explore goes on once the login form is gone");
        let deadline = Instant::now() + crate::runner::human::PERSON_LIMIT;
        let mut tick = ticker();
        loop {
            tick.tick().await;
            let snap = self.snapshot_all(&[]).await?;
            if survey::login_form(&snap).is_none() {
                break;
            }
            if Instant::now() >= deadline {
                return Err(StepFail::CodeNeeded(said!("fail.login_window_timeout")));
            }
        }
        self.settled_page().await?;
        trail.moves += 1;
        self.keep_visit(&[], trail, "logged in by a person", &[])
            .await;
        Ok(None)
    }

    /// The page once it has stopped changing (or after the step's limit).
    async fn settled_page(&self) -> Result<Snapshot, StepFail> {
        let never = |_: &Snapshot| None::<()>;
        let goal = Goal {
            words: Vec::new(),
            all: true,
            holds: &never,
        };
        self.look_for(&goal, self.deadline()).await?;
        self.snapshot_all(&[]).await
    }

    /// Waits until the page no longer shows the login's password field; a code field that
    /// appears instead, or a form that stays, ends the exploration.
    async fn left_login(&self, password_css: &str) -> Result<Snapshot, StepFail> {
        let deadline = Instant::now() + LOGIN_WAIT.min(self.plan.timeout * 2);
        let mut tick = ticker();
        loop {
            tick.tick().await;
            let snap = self.snapshot_all(&[]).await?;
            let form = survey::login_form(&snap);
            let password_shown = snap
                .candidates
                .iter()
                .any(|c| c.visible && c.css == password_css);
            match form {
                Some(f) if f.code.is_some() => {
                    return Err(StepFail::CodeNeeded(said!(
                        "fail.login_code_after",
                        label = f
                            .code
                            .map(|c| c.visible_label().to_string())
                            .unwrap_or_default()
                    )))
                }
                None if !password_shown => {
                    // Let the page that follows the login settle before reading its words.
                    return self.settled_page().await;
                }
                _ => {}
            }
            if Instant::now() >= deadline {
                let said = snap
                    .candidates
                    .iter()
                    .filter(|c| c.visible && !c.interactive)
                    .map(|c| c.visible_label())
                    .find(|t| t.contains("错误") || t.to_lowercase().contains("incorrect"))
                    .unwrap_or("");
                return Err(StepFail::Expectation(said!(
                    "fail.login_failed",
                    url = &snap.url,
                    says = if said.is_empty() {
                        String::new()
                    } else {
                        format!(" “{said}”")
                    }
                )));
            }
        }
    }

    /// Searches the navigation for the renewal settings of the account's memberships: the
    /// page first, then menus, tabs and links of the platform, up to `max_visits` page states.
    pub(crate) async fn explore_search(
        &mut self,
        max_visits: usize,
        service: Option<&str>,
        budget: Instant,
        trail: &mut Trail,
    ) -> Result<Option<(Finding, Vec<Hop>)>, StepFail> {
        let target = survey::renewal_target();
        let named = service.map(|s| Target::keywords(vec![s.to_string()]));
        // Where the settings show: with a name, the named one; without, any (named after).
        let holds = |snap: &Snapshot| match service {
            Some(name) => survey::membership_named(snap, name).map(|m| vec![m]),
            None => survey::way_out_here(snap).then(Vec::new),
        };
        let mut words = vec![&target];
        words.extend(named.as_ref());
        let goal = Goal {
            words,
            all: true,
            holds: &holds,
        };
        let first = Instant::now() + self.plan.timeout.min(Duration::from_secs(5));
        let result = match self.look_for(&goal, first).await? {
            Some(found) => Some((found, Vec::new())),
            None => {
                self.search(&goal, MAX_DEPTH, budget, max_visits, trail)
                    .await?
            }
        };
        let Some((found, path)) = result else {
            return Ok(None);
        };
        // The page read again with the words that may name each service, so that the
        // services can be told apart by them.
        let hints = Target::keywords(survey::name_hints(&self.snapshot_all(&[&target]).await?));
        let snap = self.snapshot_all(&[&target, &hints]).await?;
        let found = if service.is_some() {
            found
        } else {
            survey::memberships(&snap)
        };
        let controls: Vec<Candidate> = found.iter().filter_map(|m| m.control.clone()).collect();
        self.keep_visit(&path, trail, "found", &controls).await;
        Ok(Some(((found, survey::dialog_password(&snap)), path)))
    }
}

/// How many navigation moves deep `explore` looks.
const MAX_DEPTH: u32 = 4;
