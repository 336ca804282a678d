//! The arguments every command that runs a script shares, and how they become the options
//! of a run.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{stop_signal, BrowserArg};
use crate::browser::{BrowserKind, LaunchOptions};
use crate::runner::{self, RunOptions};
use crate::script::{self, Overrides, Plan};
use crate::secret::Secret;

/// Flags that cannot work together or with this script: found before a browser starts.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OptionsError {
    #[error("--profile keeps a profile on this machine; it cannot be used with --webdriver")]
    ProfileWithWebdriver,
    #[error("{}: --pause-on-login needs the script to say what a logged-in page shows: add `logged_in: {{ text: [\"退出登录\"] }}`", .0.display())]
    PauseWithoutLoggedIn(PathBuf),
    #[error(transparent)]
    Profile(#[from] crate::browser::profile::ProfileError),
    #[error(transparent)]
    Cookies(#[from] crate::browser::cookies::CookieError),
}

impl OptionsError {
    /// The problem in the person's language.
    pub(super) fn said(&self) -> crate::said::Said {
        match self {
            OptionsError::ProfileWithWebdriver => crate::said!("options.profile_with_webdriver"),
            OptionsError::PauseWithoutLoggedIn(script) => crate::said!(
                "options.pause_without_logged_in",
                script = script.display().to_string()
            ),
            other => crate::said::Said::from(other.to_string()),
        }
    }
}

#[derive(Args, Clone, Debug, Default)]
pub(crate) struct Common {
    /// Set a script variable: --var name=value (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_pair)]
    pub(super) vars: Vec<(String, String)>,
    /// Set a secret (redacted in every output): --secret name=value (repeatable).
    #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = parse_pair)]
    pub(super) secrets: Vec<(String, String)>,
    /// Evidence folder (created; must be empty). Default: evidence/<script>/<timestamp>/.
    #[arg(long, value_name = "DIR")]
    pub(super) evidence: Option<PathBuf>,
    /// Show the browser window.
    #[arg(long)]
    pub(super) headed: bool,
    /// Attach to a running WebDriver server (chromedriver, Selenium Grid, Appium).
    #[arg(long, value_name = "URL")]
    pub(super) webdriver: Option<String>,
    /// The driver binary to start (default: chromedriver / geckodriver on PATH).
    #[arg(long, value_name = "PATH")]
    pub(super) driver: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = BrowserArg::Chromium)]
    pub(super) browser: BrowserArg,
    /// Wait limit of each step (overrides the script's `timeout`), e.g. 15s.
    #[arg(long, value_parser = parse_duration)]
    pub(super) timeout: Option<Duration>,
    /// A verification code you already have (repeatable: code steps take them in order).
    #[arg(long, value_name = "CODE")]
    pub(super) code: Vec<String>,
    /// Keep the browser profile (cookies, local storage) under this name, so the next run
    /// skips the login. Kept in $JIEYUE_HOME/profiles/NAME (default
    /// ~/.local/share/jieyue/profiles), readable by you alone.
    #[arg(long, value_name = "NAME")]
    pub(super) profile: Option<String>,
    /// Import login cookies from a JSON file (the export of common browser extensions).
    #[arg(long, value_name = "FILE")]
    pub(super) cookies: Option<PathBuf>,
    /// With --headed: log in yourself in the window (QR code, slider), then the run goes on
    /// (needs `logged_in:` in the script).
    #[arg(long)]
    pub(super) pause_on_login: bool,
    /// Machine output: the run record as one JSON object on stdout.
    #[arg(long)]
    pub(super) json: bool,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    // This flag's error is not in the catalogue yet: its problem stays English with it.
    script::check_duration(s).map_err(|problem| {
        format!(
            "`{s}`: {}; write 10s, 1500ms or 2m (100 ms to 10 min)",
            problem.english()
        )
    })
}

impl Common {
    pub(super) fn overrides(&self) -> Overrides {
        Overrides {
            vars: self.vars.clone(),
            secrets: self
                .secrets
                .iter()
                .map(|(k, v)| (k.clone(), Secret::new(v.clone())))
                .collect(),
            timeout: self.timeout,
        }
    }

    /// The options of a run, after the checks that need no browser: a bad profile name, a
    /// cookie file that is not one, `--pause-on-login` without `logged_in`. Cookie values
    /// join the plan's secrets.
    pub(super) fn run_options(
        &self,
        plan: &mut Plan,
        dry_run: bool,
        status: bool,
    ) -> Result<RunOptions, OptionsError> {
        let profile = match &self.profile {
            None => None,
            Some(_) if self.webdriver.is_some() => return Err(OptionsError::ProfileWithWebdriver),
            Some(name) => Some(crate::browser::profile::profile_dir(name)?),
        };
        let cookies = match &self.cookies {
            None => Vec::new(),
            Some(path) => crate::browser::cookies::load(path)?,
        };
        plan.secrets.extend(cookies.iter().map(|c| c.value.clone()));
        if self.pause_on_login && plan.logged_in.is_empty() {
            return Err(OptionsError::PauseWithoutLoggedIn(plan.source.clone()));
        }
        Ok(RunOptions {
            dry_run: dry_run || status,
            status,
            launch: LaunchOptions {
                kind: match self.browser {
                    BrowserArg::Chromium => BrowserKind::Chromium,
                    BrowserArg::Firefox => BrowserKind::Firefox,
                },
                driver: self.driver.clone(),
                webdriver: self.webdriver.clone(),
                headed: self.headed,
                mobile: plan.carrier.is_mobile(),
                mini_program: plan.carrier == script::Carrier::Mini,
                profile,
                step_limit: plan.timeout,
            },
            hooks: runner::Hooks {
                on_step: None,
                cancel: Some(stop_signal()),
            },
            code: self.code.clone(),
            pause_on_login: self.pause_on_login,
            cookies,
            progress: true,
        })
    }
}
