//! The validated plan a runner executes. Nothing here knows about YAML.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::secret::{Redactor, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Carrier {
    /// Desktop web (网页端).
    Web,
    /// H5 mobile pages (移动端): run with mobile emulation.
    H5,
    /// Mini-program style H5 (小程序): run with mobile emulation.
    Mini,
}

impl Carrier {
    pub const NAMES: [&'static str; 3] = ["web", "h5", "mini"];

    pub fn parse(name: &str) -> Option<Carrier> {
        match name {
            "web" => Some(Carrier::Web),
            "h5" => Some(Carrier::H5),
            "mini" => Some(Carrier::Mini),
            _ => None,
        }
    }

    pub fn is_mobile(self) -> bool {
        !matches!(self, Carrier::Web)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Carrier::Web => "web",
            Carrier::H5 => "h5",
            Carrier::Mini => "mini",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub source: PathBuf,
    pub name: String,
    pub carrier: Carrier,
    pub start: String,
    pub timeout: Duration,
    pub steps: Vec<Step>,
    /// The account the run acts for (the `username`/`account`/`phone` var), masked in output.
    pub account: Option<String>,
    pub secrets: Vec<Secret>,
    /// `logged_in: {text: [...]}`: words a page shows only to a logged-in person. When the
    /// start page shows them (a saved session), the login part is skipped.
    pub logged_in: Vec<String>,
    /// How many leading steps are the login part: through the first `expect`/`wait` for
    /// text or `pause` step. 0 when the script declares no `logged_in`.
    pub login_steps: usize,
}

impl Plan {
    /// Whether step `number` (1-based) belongs to the login part.
    pub fn is_login_step(&self, number: usize) -> bool {
        number <= self.login_steps
    }

    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.secrets.iter())
    }

    /// The file stem, used for the default evidence folder.
    pub fn slug(&self) -> String {
        self.source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "script".into())
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    /// 1-based position in the script, as shown to people.
    pub number: usize,
    /// Line of the step in the script, for runtime errors that point back at it.
    pub line: usize,
    pub action: Action,
}

impl Step {
    pub fn kind(&self) -> &'static str {
        self.action.kind()
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    Goto {
        url: String,
    },
    Fill {
        target: Target,
        value: FillValue,
    },
    Click {
        target: Target,
        commit: bool,
    },
    Hover {
        target: Target,
    },
    Find {
        target: Target,
        reveal: u32,
    },
    SwitchOff {
        target: Target,
    },
    Confirm(ConfirmWords),
    Code {
        target: Target,
        prompt: String,
        from: Option<CodeSource>,
        /// A captcha image: its crop is shown to the person with the prompt.
        image: Option<Target>,
    },
    /// A person finishes something in the browser (a QR-code or slider login): the run
    /// waits for Enter, or for `until` words to appear.
    Pause {
        message: String,
        until: Vec<String>,
    },
    ExpectText {
        text: Vec<String>,
    },
    ExpectSwitchOff {
        target: Target,
    },
    Screenshot {
        name: String,
    },
    WaitText {
        text: Vec<String>,
    },
    WaitFor {
        duration: Duration,
    },
}

impl Action {
    pub const KINDS: [&'static str; 12] = [
        "goto",
        "fill",
        "click",
        "hover",
        "find",
        "switch_off",
        "confirm",
        "code",
        "pause",
        "expect",
        "screenshot",
        "wait",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Action::Goto { .. } => "goto",
            Action::Fill { .. } => "fill",
            Action::Click { .. } => "click",
            Action::Hover { .. } => "hover",
            Action::Find { .. } => "find",
            Action::SwitchOff { .. } => "switch_off",
            Action::Confirm(_) => "confirm",
            Action::Code { .. } => "code",
            Action::Pause { .. } => "pause",
            Action::ExpectText { .. } | Action::ExpectSwitchOff { .. } => "expect",
            Action::Screenshot { .. } => "screenshot",
            Action::WaitText { .. } | Action::WaitFor { .. } => "wait",
        }
    }

    /// The target of the step, if it has one.
    pub fn target(&self) -> Option<&Target> {
        match self {
            Action::Fill { target, .. }
            | Action::Click { target, .. }
            | Action::Hover { target }
            | Action::Find { target, .. }
            | Action::SwitchOff { target }
            | Action::Code { target, .. }
            | Action::ExpectSwitchOff { target } => Some(target),
            _ => None,
        }
    }

    /// A short human description of what the step is after, for progress lines and records.
    pub fn describe(&self) -> String {
        match self {
            Action::Goto { url } => url.clone(),
            Action::Pause { message, .. } => message.clone(),
            Action::Screenshot { name } => name.clone(),
            Action::ExpectText { text } | Action::WaitText { text } => text.join(" | "),
            Action::WaitFor { duration } => format!("{} ms", duration.as_millis()),
            Action::Confirm(words) => {
                let all: Vec<&str> = words
                    .acknowledge
                    .iter()
                    .chain(&words.reason)
                    .chain(&words.proceed)
                    .map(String::as_str)
                    .collect();
                if all.is_empty() {
                    "(lexicon)".into()
                } else {
                    all.join(" | ")
                }
            }
            _ => self.target().map(Target::describe).unwrap_or_default(),
        }
    }
}

/// What a step looks for. `css` first; keywords (`text`, `label`, `placeholder`) as the
/// fallback and as the check that the css still points at the right thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Target {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub label: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholder: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<Scope>,
}

impl Target {
    pub fn keywords(text: Vec<String>) -> Self {
        Target {
            text,
            ..Target::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.css.is_none()
            && self.text.is_empty()
            && self.label.is_empty()
            && self.placeholder.is_empty()
    }

    /// All keywords of any kind, in the order given.
    pub fn all_words(&self) -> impl Iterator<Item = &String> {
        self.text.iter().chain(&self.label).chain(&self.placeholder)
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(css) = &self.css {
            parts.push(format!("css `{css}`"));
        }
        let words: Vec<&str> = self.all_words().map(String::as_str).collect();
        if !words.is_empty() {
            parts.push(words.join(" | "));
        }
        if let Some(Scope::Dialog) = self.within {
            parts.push("in dialog".into());
        }
        parts.join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The topmost open dialog, modal or bottom sheet.
    Dialog,
    /// A css scope.
    Css(String),
}

#[derive(Debug, Clone)]
pub enum FillValue {
    Public(String),
    Secret(Secret),
}

impl FillValue {
    pub fn expose(&self) -> &str {
        match self {
            FillValue::Public(v) => v,
            FillValue::Secret(s) => s.expose(),
        }
    }
}

/// Words a script adds to the lexicon for `confirm`; tried first, never replacing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConfirmWords {
    pub acknowledge: Vec<String>,
    pub proceed: Vec<String>,
    pub reason: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeSource {
    Env(String),
    File(PathBuf),
}
