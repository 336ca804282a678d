//! The thin browser layer: start or attach to a WebDriver server, open one session, and a
//! handful of actions. Deciding *what* to click lives in `locate` and `runner`.

pub mod cookies;
mod devtools;
pub mod doctor;
mod driver;
pub mod profile;
mod session;

use std::path::PathBuf;

pub use devtools::Capture;
pub use driver::{kill_all as kill_all_drivers, DriverProcess};
pub use session::{call_limit, Browser, ElementHandle, CALL_CEILING, SESSION_LIMIT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrowserKind {
    #[default]
    Chromium,
    Firefox,
}

impl BrowserKind {
    pub fn driver_name(self) -> &'static str {
        match self {
            BrowserKind::Chromium => "chromedriver",
            BrowserKind::Firefox => "geckodriver",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    pub kind: BrowserKind,
    /// `--driver PATH`: the driver binary to start.
    pub driver: Option<PathBuf>,
    /// `--webdriver URL`: a running driver, Grid or Appium endpoint to attach to.
    pub webdriver: Option<String>,
    pub headed: bool,
    /// Phone viewport, touch and a mobile user agent (carriers h5 and mini).
    pub mobile: bool,
    /// A WeChat-like user agent for the mini-program carrier.
    pub mini_program: bool,
    /// `--profile NAME`: a persistent profile folder instead of a fresh one.
    pub profile: Option<PathBuf>,
    /// The limit of the steps to come: each WebDriver call gets a little more, up to
    /// `CALL_CEILING`.
    pub step_limit: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("{0}")]
    NoDriver(crate::said::Said),
    #[error("{0}")]
    NoBrowser(crate::said::Said),
    #[error("WebDriver server: {0}")]
    Driver(String),
    #[error("cannot open a browser session: {0}")]
    Session(String),
    /// A call went unanswered: the page, the driver or the endpoint stopped responding.
    #[error("{0}")]
    Stalled(String),
    #[error("{0}")]
    Command(#[from] fantoccini::error::CmdError),
}

impl BrowserError {
    /// What a person reads: the missing driver or browser and how to install it in their
    /// language; the driver's own words as they are.
    pub fn said(&self) -> crate::said::Said {
        match self {
            BrowserError::NoDriver(s) | BrowserError::NoBrowser(s) => s.clone(),
            other => crate::said::Said::from(other.to_string()),
        }
    }
}
