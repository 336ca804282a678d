//! YAML text → checked [`Plan`], collecting every problem with its line and column.

use std::path::Path;
use std::time::Duration;

use serde_yaml::{Mapping, Value};

use super::diagnostic::{did_you_mean, Diagnostic, Diagnostics, Pos};
use super::plan::*;
use super::source::SourceMap;
use super::template::{Scope as TemplateScope, TemplateError};
use crate::said;
use crate::said::Said;
use crate::secret::Secret;

/// Values given on the command line; they win over the script's own.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub vars: Vec<(String, String)>,
    pub secrets: Vec<(String, Secret)>,
    pub timeout: Option<Duration>,
}

const TOP_KEYS: [&str; 8] = [
    "name",
    "carrier",
    "start",
    "vars",
    "secrets",
    "timeout",
    "logged_in",
    "steps",
];
const TARGET_KEYS: [&str; 5] = ["css", "text", "label", "placeholder", "within"];
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Every timeout and wait is within these: a zero or absurd limit is a typo, and a run must
/// end in a time a person will wait for.
pub const SHORTEST_WAIT: Duration = Duration::from_millis(100);
pub const LONGEST_WAIT: Duration = Duration::from_secs(600);
/// Limits of a script: beyond them it is a mistake or an attack, never a platform's flow.
pub const MAX_STEPS: usize = 500;
pub const MAX_KEYWORDS: usize = 64;

/// Parses and checks a script. `require_env` is false for `validate`, where an unset
/// `${env:NAME}` is fine (the person checking need not have the password exported).
pub fn parse(
    file: &Path,
    src: &str,
    overrides: &Overrides,
    require_env: bool,
) -> Result<Plan, Diagnostics> {
    let mut cx = Cx {
        file,
        src,
        map: SourceMap::new(src),
        diags: Vec::new(),
        scope: TemplateScope {
            require_env,
            ..TemplateScope::default()
        },
    };
    // A byte-order mark is what some editors on Windows put first: not part of the text.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if let Some(d) = control_character(file, src) {
        return Err(Diagnostics(vec![d]));
    }
    let root: Value = match serde_yaml::from_str(src) {
        Ok(v) => v,
        Err(e) => return Err(Diagnostics(vec![yaml_error(file, src, &e)])),
    };
    let Value::Mapping(root) = root else {
        return Err(Diagnostics(vec![Diagnostic::new(
            file,
            src,
            Pos {
                line: 1,
                col: 1,
                width: 1,
            },
            said!("script.not_a_map"),
        )]));
    };
    let plan = cx.plan(&root, overrides);
    if cx.diags.is_empty() {
        Ok(plan.expect("a plan is built whenever there is no diagnostic"))
    } else {
        Err(Diagnostics(cx.diags))
    }
}

struct Cx<'a> {
    file: &'a Path,
    src: &'a str,
    map: SourceMap<'a>,
    diags: Vec<Diagnostic>,
    scope: TemplateScope,
}

/// Where a value sits, so its errors can point at it.
#[derive(Clone, Copy)]
enum At<'k> {
    Top(&'k str),
    Step(usize),
}

impl<'a> Cx<'a> {
    fn error(&mut self, pos: Pos, message: Said) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::new(self.file, self.src, pos, message));
        self.diags.last_mut().expect("just pushed")
    }

    fn pos(&self, at: At, needle: &str) -> Pos {
        match at {
            At::Top(key) => self.map.in_top(key, needle).unwrap_or(Pos {
                line: 1,
                col: 1,
                width: 1,
            }),
            At::Step(i) => self.map.in_step(i, needle),
        }
    }

    fn plan(&mut self, root: &Mapping, overrides: &Overrides) -> Option<Plan> {
        self.unknown_top_keys(root);

        self.definitions(root, "vars", &overrides.vars, false);
        let secret_overrides: Vec<(String, String)> = overrides
            .secrets
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect();
        self.definitions(root, "secrets", &secret_overrides, true);

        let name = self.name(root);
        let carrier = self.carrier(root);
        let start = self.start(root);
        let timeout = self.timeout(root, overrides);
        let steps = self.steps(root);

        let account = ["account", "username", "phone", "user"]
            .iter()
            .find_map(|k| self.scope.vars.get(*k).cloned());
        let logged_in = self.logged_in(root);
        let login_steps = self.login_steps(steps.as_deref(), &logged_in);
        Some(Plan {
            source: self.file.to_path_buf(),
            name: name?,
            carrier: carrier?,
            start: start?,
            timeout: timeout?,
            steps: steps?,
            account,
            secrets: self.scope.secrets.values().cloned().collect(),
            logged_in,
            login_steps,
        })
    }

    /// Reports each top-level key a script does not have.
    fn unknown_top_keys(&mut self, root: &Mapping) {
        for key in root.keys() {
            let key = scalar(key).unwrap_or_default();
            if !TOP_KEYS.contains(&key.as_str()) {
                let pos = self.map.top_key(&key).unwrap_or_default();
                let d = self.error(pos, said!("script.unknown_key", key = &key));
                if let Some(s) = did_you_mean(&key, &TOP_KEYS) {
                    d.help = Some(said!("script.did_you_mean", word = s));
                } else {
                    d.help = Some(said!("script.top_keys", keys = TOP_KEYS.join(", ")));
                }
            }
        }
    }

    /// The required `name`.
    fn name(&mut self, root: &Mapping) -> Option<String> {
        match root.get("name").map(scalar) {
            Some(Some(n)) if !n.trim().is_empty() => Some(n),
            Some(_) => {
                let pos = self.map.top_key("name").unwrap_or_default();
                self.error(pos, said!("script.name_not_text"));
                None
            }
            None => {
                self.error(self.map.first_line(), said!("script.no_name"))
                    .help = Some(said!("script.no_name_help"));
                None
            }
        }
    }

    /// `carrier`, web when not given.
    fn carrier(&mut self, root: &Mapping) -> Option<Carrier> {
        let Some(v) = root.get("carrier") else {
            return Some(Carrier::Web);
        };
        let text = scalar(v).unwrap_or_default();
        let carrier = Carrier::parse(&text);
        if carrier.is_none() {
            let pos = self.pos(At::Top("carrier"), &text);
            let d = self.error(pos, said!("script.unknown_carrier", carrier = &text));
            d.help = Some(match did_you_mean(&text, &Carrier::NAMES) {
                Some(s) => said!("script.did_you_mean", word = s),
                None => said!("script.carriers"),
            });
        }
        carrier
    }

    /// The required `start`: the first page to open.
    fn start(&mut self, root: &Mapping) -> Option<String> {
        match root.get("start") {
            Some(v) => match scalar(v) {
                Some(text) => self
                    .expand(At::Top("start"), &text)
                    .and_then(|e| self.web_address(At::Top("start"), "start", e.text)),
                None => {
                    let pos = self.map.top_key("start").unwrap_or_default();
                    self.error(pos, said!("script.start_not_url"));
                    None
                }
            },
            None => {
                self.error(self.map.first_line(), said!("script.no_start"))
                    .help = Some(said!("script.no_start_help"));
                None
            }
        }
    }

    /// `timeout`, checked even when the command line's one wins.
    fn timeout(&mut self, root: &Mapping, overrides: &Overrides) -> Option<Duration> {
        let timeout = match root.get("timeout") {
            None => Some(DEFAULT_TIMEOUT),
            Some(v) => self.duration(At::Top("timeout"), "timeout", v),
        };
        overrides.timeout.or(timeout)
    }

    /// The required `steps`, each numbered and placed on its line.
    fn steps(&mut self, root: &Mapping) -> Option<Vec<Step>> {
        match root.get("steps") {
            Some(Value::Sequence(items)) if items.len() > MAX_STEPS => {
                let pos = self.map.step(MAX_STEPS);
                self.error(
                    pos,
                    said!("script.too_many_steps", n = items.len(), max = MAX_STEPS),
                )
                .help = Some(said!("script.too_many_steps_help"));
                None
            }
            Some(Value::Sequence(items)) if !items.is_empty() => {
                let mut steps = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if let Some(action) = self.step(i, item) {
                        steps.push(Step {
                            number: i + 1,
                            line: self.map.step(i).line,
                            action,
                        });
                    }
                }
                Some(steps)
            }
            Some(_) => {
                let pos = self.map.top_key("steps").unwrap_or_default();
                self.error(pos, said!("script.steps_not_list")).help =
                    Some(said!("script.steps_not_list_help"));
                None
            }
            None => {
                self.error(self.map.first_line(), said!("script.no_steps"))
                    .help = Some(said!("script.no_steps_help"));
                None
            }
        }
    }

    /// `logged_in`, the words a page shows only once logged in; none when not given.
    fn logged_in(&mut self, root: &Mapping) -> Vec<String> {
        match root.get("logged_in") {
            None => Vec::new(),
            Some(v) => self
                .words_step(At::Top("logged_in"), "logged_in", v)
                .unwrap_or_default(),
        }
    }

    /// How many leading steps are the login part; 0 without `logged_in`.
    fn login_steps(&mut self, steps: Option<&[Step]>, logged_in: &[String]) -> usize {
        match (steps, logged_in.is_empty()) {
            (Some(steps), false) => {
                let end = steps.iter().position(|s| {
                    matches!(
                        s.action,
                        Action::ExpectText { .. } | Action::WaitText { .. } | Action::Pause { .. }
                    )
                });
                match end {
                    Some(i) => i + 1,
                    None => {
                        let pos = self.map.top_key("logged_in").unwrap_or_default();
                        self.error(pos, said!("script.login_no_end")).help =
                            Some(said!("script.login_no_end_help"));
                        0
                    }
                }
            }
            _ => 0,
        }
    }

    /// Reads `vars` or `secrets` in order, so a later one may use an earlier one.
    fn definitions(
        &mut self,
        root: &Mapping,
        key: &str,
        overrides: &[(String, String)],
        secret: bool,
    ) {
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        match root.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Mapping(m)) => {
                for (k, v) in m {
                    let name = scalar(k).unwrap_or_default();
                    match scalar(v) {
                        Some(value) => entries.push((name, Some(value))),
                        None => {
                            let pos = self.pos(At::Top(key), &format!("{name}:"));
                            self.error(pos, said!("script.not_single_value", name = &name));
                            entries.push((name, None));
                        }
                    }
                }
            }
            Some(_) => {
                let pos = self.map.top_key(key).unwrap_or_default();
                self.error(pos, said!("script.not_a_name_map", key = key));
            }
        }
        for (name, value) in overrides {
            match entries.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 = Some(format!("\u{0}{value}")),
                None => entries.push((name.clone(), Some(format!("\u{0}{value}")))),
            }
        }
        for (name, value) in entries {
            let Some(value) = value else { continue };
            // A leading NUL marks a command-line value: taken literally, never expanded.
            let text = match value.strip_prefix('\u{0}') {
                Some(literal) => literal.to_string(),
                None => match self.expand(At::Top(key), &value) {
                    Some(e) => e.text,
                    None => continue,
                },
            };
            if secret {
                if !text.starts_with("${env:") && text.chars().count() < 3 {
                    let pos = self.pos(At::Top(key), &format!("{name}:"));
                    self.error(pos, said!("script.secret_too_short", name = &name))
                        .help = Some(said!("script.secret_too_short_help"));
                }
                self.scope.secrets.insert(name, Secret::new(text));
            } else {
                self.scope.vars.insert(name, text);
            }
        }
    }

    fn expand(&mut self, at: At, text: &str) -> Option<super::template::Expanded> {
        match self.scope.expand(text) {
            Ok(e) => Some(e),
            Err(err) => {
                let (reference, message, help) = match err {
                    TemplateError::Unknown { reference, name } => {
                        let names = self.scope.names();
                        let help = match did_you_mean(&name, &names) {
                            Some(s) => said!("script.did_you_mean_name", name = s),
                            None => said!("script.define_name", name = &name),
                        };
                        (reference, said!("script.unknown_name", name = &name), help)
                    }
                    TemplateError::EnvUnset { reference, name } => (
                        reference,
                        said!("script.env_unset", name = &name),
                        said!("script.env_unset_help", name = &name),
                    ),
                    TemplateError::EmptyEnv { reference } => (
                        reference,
                        said!("script.env_empty"),
                        said!("script.env_empty_help"),
                    ),
                    TemplateError::Unclosed { reference } => (
                        reference.chars().take(20).collect(),
                        said!("script.unclosed"),
                        said!("script.unclosed_help"),
                    ),
                };
                let pos = self.pos(at, &reference);
                self.error(pos, message).help = Some(help);
                None
            }
        }
    }

    /// A css selector the browser will accept: a typo here would only show as "not found"
    /// in the middle of a run.
    fn check_css(&mut self, at: At, css: &str) {
        if css.trim().is_empty() {
            let pos = self.pos(at, "css");
            self.error(pos, said!("script.css_empty")).help = Some(said!("script.css_empty_help"));
            return;
        }
        if let Err(e) = scraper::Selector::parse(css) {
            let pos = self.pos(at, css);
            tracing::debug!("css `{css}`: {e:?}");
            self.error(pos, said!("script.css_invalid", css = css)).help =
                Some(said!("script.css_invalid_help"));
        }
    }

    /// Keywords after `${…}`: each must say something, and a target has at most
    /// `MAX_KEYWORDS`.
    fn expand_all(&mut self, at: At, words: Vec<String>) -> Vec<String> {
        if words.len() > MAX_KEYWORDS {
            let pos = self.pos(at, &words[MAX_KEYWORDS]);
            self.error(
                pos,
                said!(
                    "script.too_many_keywords",
                    n = words.len(),
                    max = MAX_KEYWORDS
                ),
            )
            .help = Some(said!("script.too_many_keywords_help"));
            return Vec::new();
        }
        if words.iter().any(|w| w.trim().is_empty()) {
            let pos = self.pos(at, "\"\"");
            self.error(pos, said!("script.empty_keyword")).help =
                Some(said!("script.empty_keyword_help"));
            return Vec::new();
        }
        words
            .into_iter()
            .filter_map(|w| self.expand(at, &w).map(|e| e.text))
            .collect()
    }

    fn duration(&mut self, at: At, kind: &str, v: &Value) -> Option<Duration> {
        let Some(text) = scalar(v) else {
            let pos = self.pos(at, kind);
            self.error(pos, said!("script.duration_shape", kind = kind));
            return None;
        };
        let checked = check_duration(&text);
        match checked {
            Ok(d) => Some(d),
            Err(problem) => {
                let pos = self.pos(at, &text);
                let message = said!(
                    "script.bad_duration",
                    kind = kind,
                    text = &text,
                    problem = problem
                );
                self.error(pos, message).help = Some(said!(
                    "script.bad_duration_help",
                    least = SHORTEST_WAIT.as_millis() as u64,
                    most = LONGEST_WAIT.as_secs() / 60
                ));
                None
            }
        }
    }

    fn step(&mut self, i: usize, item: &Value) -> Option<Action> {
        let at = At::Step(i);
        let Value::Mapping(m) = item else {
            let pos = self.map.step(i);
            self.error(pos, said!("script.step_not_map"));
            return None;
        };
        let keys: Vec<String> = m.keys().filter_map(scalar).collect();
        if keys.len() != 1 {
            let pos = self.map.step(i);
            let extra = keys.get(1).cloned().unwrap_or_default();
            let d = self.error(pos, said!("script.step_keys", keys = keys.join(", ")));
            if TARGET_KEYS.contains(&extra.as_str()) || extra == "value" {
                d.help = Some(said!("script.indent_under", key = &extra, kind = &keys[0]));
            }
            return None;
        }
        let kind = keys[0].as_str();
        let body = m.values().next().expect("one key has one value");
        match kind {
            "goto" => {
                let url = self.text_value(at, kind, body)?;
                let url = self.web_address(at, kind, url)?;
                Some(Action::Goto { url })
            }
            "fill" => self.fill_step(i, body),
            "click" => self.click_step(at, body),
            "hover" => Some(Action::Hover {
                target: self.target(at, kind, body, &[])?,
            }),
            "find" => self.find_step(at, body),
            "switch_off" => Some(Action::SwitchOff {
                target: self.target(at, kind, body, &[])?,
            }),
            "confirm" => self.confirm_step(i, body),
            "pause" => self.pause_step(at, body),
            "code" => self.code_step(at, body),
            "expect" => self.expect_step(at, body),
            "screenshot" => self.screenshot_step(i, body),
            "wait" => self.wait_step(at, body),
            other => {
                let pos = self.map.step(i);
                let d = self.error(pos, said!("script.unknown_step", step = other));
                d.help = Some(match did_you_mean(other, &Action::KINDS) {
                    Some(s) => said!("script.did_you_mean", word = s),
                    None => said!("script.step_kinds", kinds = Action::KINDS.join(", ")),
                });
                None
            }
        }
    }

    /// The target and the value to type; a secret value stays a secret.
    fn fill_step(&mut self, i: usize, body: &Value) -> Option<Action> {
        let at = At::Step(i);
        let Value::Mapping(map) = body else {
            let pos = self.map.step(i);
            self.error(pos, said!("script.fill_needs")).help =
                Some(said!("script.fill_needs_help"));
            return None;
        };
        let target = self.target(at, "fill", body, &["value"])?;
        let Some(raw) = map.get("value").and_then(scalar) else {
            let pos = self.map.step(i);
            self.error(pos, said!("script.fill_no_value")).help =
                Some(said!("script.fill_no_value_help"));
            return None;
        };
        let expanded = self.expand(at, &raw)?;
        let value = if expanded.secret {
            FillValue::Secret(Secret::new(expanded.text))
        } else {
            FillValue::Public(expanded.text)
        };
        Some(Action::Fill { target, value })
    }

    /// A target, and whether clicking it is a commit step.
    fn click_step(&mut self, at: At, body: &Value) -> Option<Action> {
        let target = self.target(at, "click", body, &["commit"])?;
        let commit = match body.get("commit") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                let pos = self.pos(at, "commit");
                self.error(pos, said!("script.commit_bool"));
                return None;
            }
        };
        Some(Action::Click { target, commit })
    }

    /// A target to find, opening up to 5 menu levels to reveal it.
    fn find_step(&mut self, at: At, body: &Value) -> Option<Action> {
        let target = self.target(at, "find", body, &["reveal"])?;
        let reveal = match body.get("reveal") {
            None => 0,
            Some(v) => match v.as_u64() {
                Some(n) if n <= 5 => n as u32,
                _ => {
                    let pos = self.pos(at, "reveal");
                    self.error(pos, said!("script.reveal_range"));
                    return None;
                }
            },
        };
        Some(Action::Find { target, reveal })
    }

    /// Words a script adds to the lexicon for `confirm`.
    fn confirm_step(&mut self, i: usize, body: &Value) -> Option<Action> {
        let at = At::Step(i);
        let mut words = ConfirmWords::default();
        match body {
            Value::Null => {}
            Value::Mapping(map) => {
                for (k, v) in map {
                    let key = scalar(k).unwrap_or_default();
                    let list = match words_of(v) {
                        Some(list) => self.expand_all(at, list),
                        None => {
                            let pos = self.pos(at, &key);
                            self.error(pos, said!("script.words", key = &key));
                            continue;
                        }
                    };
                    match key.as_str() {
                        "acknowledge" => words.acknowledge = list,
                        "proceed" => words.proceed = list,
                        "reason" => words.reason = list,
                        other => {
                            let pos = self.pos(at, other);
                            let message = said!("script.has_no", kind = "confirm", key = other);
                            let d = self.error(pos, message);
                            d.help = Some(
                                match did_you_mean(other, &["acknowledge", "proceed", "reason"]) {
                                    Some(s) => said!("script.did_you_mean", word = s),
                                    None => said!("script.confirm_keys"),
                                },
                            );
                        }
                    }
                }
            }
            _ => {
                let pos = self.map.step(i);
                self.error(pos, said!("script.confirm_map"));
                return None;
            }
        }
        Some(Action::Confirm(words))
    }

    /// A message for the person, and the words that end the pause.
    fn pause_step(&mut self, at: At, body: &Value) -> Option<Action> {
        let (message, until) = match body {
            Value::Mapping(m) => {
                for key in m.keys().filter_map(scalar) {
                    if key != "message" && key != "until" {
                        let pos = self.pos(at, &key);
                        self.error(pos, said!("script.has_no", kind = "pause", key = &key))
                            .help = Some(said!("script.pause_help"));
                        return None;
                    }
                }
                let message = match m.get("message").and_then(scalar) {
                    Some(t) => self.expand(at, &t)?.text,
                    None => "请在浏览器中完成这一步".into(),
                };
                let until = match m.get("until") {
                    None => Vec::new(),
                    Some(v) => self.words_step(at, "until", v)?,
                };
                (message, until)
            }
            other => match scalar(other) {
                Some(t) => (self.expand(at, &t)?.text, Vec::new()),
                None => {
                    let pos = self.pos(at, "pause");
                    self.error(pos, said!("script.pause_takes"));
                    return None;
                }
            },
        };
        Some(Action::Pause { message, until })
    }

    /// A verification code field, where its image is and where the code comes from.
    fn code_step(&mut self, at: At, body: &Value) -> Option<Action> {
        let target = self.target(at, "code", body, &["prompt", "from", "image"])?;
        let image = match body.get("image") {
            None => None,
            Some(v) => Some(self.target(at, "image", v, &[])?),
        };
        let prompt = body
            .get("prompt")
            .and_then(scalar)
            .unwrap_or_else(|| "验证码".into());
        let from = match body.get("from").and_then(scalar) {
            None => None,
            Some(src) => {
                if let Some(name) = src.strip_prefix("env:") {
                    Some(CodeSource::Env(name.to_string()))
                } else if let Some(path) = src.strip_prefix("file:") {
                    let path = self.expand(at, path)?.text;
                    Some(CodeSource::File(path.into()))
                } else {
                    let pos = self.pos(at, &src);
                    self.error(pos, said!("script.code_source", from = &src))
                        .help = Some(said!("script.code_source_help"));
                    return None;
                }
            }
        };
        Some(Action::Code {
            target,
            prompt,
            from,
            image,
        })
    }

    /// Words the page must show, or a switch that must be off.
    fn expect_step(&mut self, at: At, body: &Value) -> Option<Action> {
        if let Some(Value::String(state)) = body.get("switch") {
            if state != "off" {
                let pos = self.pos(at, state);
                self.error(pos, said!("script.switch_off_only")).help =
                    Some(said!("script.switch_off_only_help"));
                return None;
            }
            let target = self.target(at, "expect", body, &["switch"])?;
            return Some(Action::ExpectSwitchOff { target });
        }
        let text = self.words_step(at, "expect", body)?;
        Some(Action::ExpectText { text })
    }

    /// A screenshot, named as the file it becomes.
    fn screenshot_step(&mut self, i: usize, body: &Value) -> Option<Action> {
        let at = At::Step(i);
        let name = self.text_value(at, "screenshot", body)?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            let pos = self.map.in_step(i, &name);
            self.error(pos, said!("script.screenshot_name", name = &name))
                .help = Some(said!("script.screenshot_name_help"));
            return None;
        }
        Some(Action::Screenshot { name })
    }

    /// A duration to wait, or words to wait for.
    fn wait_step(&mut self, at: At, body: &Value) -> Option<Action> {
        // A duration, or something meant as one (`-1s`, `0s`, `3`), is checked as
        // one: never read as text to wait for.
        let meant_as_duration = match body {
            Value::String(s) => looks_like_duration(s),
            Value::Number(_) => true,
            _ => false,
        };
        if meant_as_duration {
            return self
                .duration(at, "wait", body)
                .map(|duration| Action::WaitFor { duration });
        }
        let text = self.words_step(at, "wait", body)?;
        Some(Action::WaitText { text })
    }

    /// Only web pages are opened: `file:`, `javascript:`, `data:` or `chrome:` would put a
    /// local file or the browser's own pages into the evidence a person hands to others.
    fn web_address(&mut self, at: At, kind: &str, url: String) -> Option<String> {
        let parsed = url::Url::parse(&url).ok();
        let web = parsed.as_ref().is_some_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if web {
            return Some(url);
        }
        let what = match &parsed {
            Some(u) => said!("script.scheme_address", scheme = u.scheme()),
            None => said!("script.not_address"),
        };
        let pos = self.pos(at, kind);
        self.error(pos, said!("script.not_web", kind = kind, what = what))
            .help = Some(said!("script.not_web_help"));
        None
    }

    fn text_value(&mut self, at: At, kind: &str, body: &Value) -> Option<String> {
        match scalar(body) {
            Some(text) => self.expand(at, &text).map(|e| e.text),
            None => {
                let pos = self.pos(at, kind);
                self.error(pos, said!("script.single_value", kind = kind));
                None
            }
        }
    }

    /// `{text: [...]}` or a bare word / list.
    fn words_step(&mut self, at: At, kind: &str, body: &Value) -> Option<Vec<String>> {
        let raw = match body {
            Value::Mapping(m) => {
                for key in m.keys().filter_map(scalar) {
                    if key != "text" {
                        let pos = self.pos(at, &key);
                        self.error(pos, said!("script.only_text", kind = kind, key = &key));
                        return None;
                    }
                }
                m.get("text").and_then(words_of)
            }
            other => words_of(other),
        };
        match raw {
            Some(words) if !words.is_empty() => Some(self.expand_all(at, words)),
            _ => {
                let pos = self.pos(at, kind);
                self.error(pos, said!("script.needs_text", kind = kind))
                    .help = Some(said!("script.needs_text_help", kind = kind));
                None
            }
        }
    }

    /// A target: a word, a list of words, or a map of `css`/`text`/`label`/`placeholder`/`within`
    /// (plus the step's own keys in `extra`).
    fn target(&mut self, at: At, kind: &str, body: &Value, extra: &[&str]) -> Option<Target> {
        let mut target = Target::default();
        match body {
            Value::Mapping(m) => {
                for (k, v) in m {
                    let key = scalar(k).unwrap_or_default();
                    if extra.contains(&key.as_str()) {
                        continue;
                    }
                    let words = || words_of(v);
                    match key.as_str() {
                        "css" => match scalar(v) {
                            Some(css) => {
                                target.css = self.expand(at, &css).map(|e| e.text);
                                if let Some(css) = &target.css {
                                    self.check_css(at, css);
                                }
                            }
                            None => {
                                let pos = self.pos(at, "css");
                                self.error(pos, said!("script.css_one"));
                            }
                        },
                        "text" | "label" | "placeholder" => match words() {
                            Some(list) => {
                                let list = self.expand_all(at, list);
                                match key.as_str() {
                                    "text" => target.text = list,
                                    "label" => target.label = list,
                                    _ => target.placeholder = list,
                                }
                            }
                            None => {
                                let pos = self.pos(at, &key);
                                self.error(pos, said!("script.words", key = &key));
                            }
                        },
                        "within" => match scalar(v).as_deref() {
                            Some("dialog") => target.within = Some(Scope::Dialog),
                            Some(css) if !css.is_empty() => {
                                self.check_css(at, css);
                                target.within = Some(Scope::Css(css.to_string()))
                            }
                            _ => {
                                let pos = self.pos(at, "within");
                                self.error(pos, said!("script.within"));
                            }
                        },
                        other => {
                            let pos = self.pos(at, other);
                            let mut allowed: Vec<&str> = TARGET_KEYS.to_vec();
                            allowed.extend_from_slice(extra);
                            let d =
                                self.error(pos, said!("script.has_no", kind = kind, key = other));
                            d.help = Some(match did_you_mean(other, &allowed) {
                                Some(s) => said!("script.did_you_mean", word = s),
                                None => said!("script.use_keys", keys = allowed.join(", ")),
                            });
                        }
                    }
                }
            }
            other => match words_of(other) {
                Some(list) => target.text = self.expand_all(at, list),
                None => {
                    let pos = self.pos(at, kind);
                    self.error(pos, said!("script.needs_target", kind = kind))
                        .help = Some(said!("script.needs_target_help", kind = kind));
                    return None;
                }
            },
        }
        if target.is_empty() {
            let pos = self.pos(at, kind);
            self.error(pos, said!("script.needs_something", kind = kind))
                .help = Some(said!("script.needs_something_help"));
            return None;
        }
        Some(target)
    }
}

/// A text that reads as a duration, valid or not: a number, then a unit or nothing.
fn looks_like_duration(text: &str) -> bool {
    static SHAPE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\s*[-+]?[0-9][0-9_.]*\s*(ms|s|m|min|h|sec|secs|seconds?)?\s*$")
            .expect("a valid pattern")
    });
    SHAPE.is_match(text)
}

/// A duration within `SHORTEST_WAIT` and `LONGEST_WAIT`, or what is wrong with it.
pub fn check_duration(text: &str) -> Result<Duration, Said> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(said!("script.duration_negative"));
    }
    let Some(d) = parse_duration(trimmed) else {
        return Err(said!("script.not_a_duration"));
    };
    if d < SHORTEST_WAIT {
        return Err(said!(
            "script.duration_too_short",
            ms = SHORTEST_WAIT.as_millis() as u64
        ));
    }
    if d > LONGEST_WAIT {
        return Err(said!(
            "script.duration_too_long",
            min = LONGEST_WAIT.as_secs() / 60
        ));
    }
    Ok(d)
}

/// The first control character (other than tab and line ends) in the text: a NUL or an
/// escape code is never part of a script, and shows that the file is not what it seems.
fn control_character(file: &Path, src: &str) -> Option<Diagnostic> {
    for (i, line) in src.lines().enumerate() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control() && *c != '\t' && *c != '\r')
        {
            let pos = Pos {
                line: i + 1,
                col: col + 1,
                width: 1,
            };
            return Some(
                Diagnostic::new(
                    file,
                    src,
                    pos,
                    said!("script.control_char", code = format!("{:04X}", c as u32)),
                )
                .help(said!("script.control_char_help")),
            );
        }
    }
    None
}

/// A syntax error, placed where a person would look: the repeated key of a duplicate, the
/// line where an unclosed quote opens, the alias of an alias bomb, the second document.
fn yaml_error(file: &Path, src: &str, e: &serde_yaml::Error) -> Diagnostic {
    let reported = e.location().map(|l| Pos {
        line: l.line(),
        col: l.column(),
        width: 1,
    });
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    let map = SourceMap::new(src);
    let found = if let Some(key) = duplicate_key(&message) {
        reported
            .and_then(|at| map.repeated_key(at, &key))
            .map(|pos| {
                (
                    pos,
                    said!("script.given_twice", key = &key),
                    said!("script.given_twice_help"),
                )
            })
    } else if message.contains("more than one document") {
        map.second_document().map(|pos| {
            (
                pos,
                said!("script.two_documents"),
                said!("script.two_documents_help"),
            )
        })
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        map.first_alias().map(|pos| {
            (
                pos,
                said!("script.alias_bomb"),
                said!("script.alias_bomb_help"),
            )
        })
    } else if message.contains("end of stream") || message.contains("found unexpected end") {
        map.unclosed_quote().map(|pos| {
            (
                pos,
                said!("script.unclosed_quote"),
                said!("script.unclosed_quote_help"),
            )
        })
    } else {
        None
    };
    match found {
        Some((pos, what, help)) => Diagnostic::new(file, src, pos, what).help(help),
        None => Diagnostic::new(
            file,
            src,
            reported.unwrap_or(Pos {
                line: 1,
                col: 1,
                width: 1,
            }),
            said!("script.not_yaml", problem = &message),
        )
        .help(said!("script.not_yaml_help")),
    }
}

/// `duplicate entry with key "carrier"` → `carrier`.
fn duplicate_key(message: &str) -> Option<String> {
    let rest = message.split("duplicate entry with key ").nth(1)?;
    Some(rest.trim().trim_matches('"').to_string())
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Keywords are text: a bare number or `true` is a slip (quote it if the page shows it).
fn words_of(v: &Value) -> Option<Vec<String>> {
    let word = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    match v {
        Value::Sequence(items) => items.iter().map(word).collect(),
        other => word(other).map(|s| vec![s]),
    }
}

/// `10s`, `1500ms`, `2m`, `1.5s`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|at| text.split_at(at))?;
    let value: f64 = number.parse().ok()?;
    let millis = match unit.trim() {
        "ms" => value,
        "s" => value * 1000.0,
        "m" | "min" => value * 60_000.0,
        _ => return None,
    };
    (millis.is_finite() && millis >= 0.0).then(|| Duration::from_millis(millis as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> Plan {
        match parse(Path::new("t.yaml"), src, &Overrides::default(), true) {
            Ok(p) => p,
            Err(d) => panic!("{d}"),
        }
    }

    fn parse_err(src: &str) -> String {
        parse(Path::new("t.yaml"), src, &Overrides::default(), true)
            .expect_err("should fail")
            .to_string()
    }

    #[test]
    fn only_web_addresses_are_opened() {
        for bad in [
            "file:///etc/shadow",
            "javascript:alert(1)",
            "data:text/html,hi",
            "chrome://settings",
            "nonsense",
        ] {
            let text = parse_err(&format!(
                "name: x\nstart: http://a\nsteps:\n  - goto: \"{bad}\"\n"
            ));
            assert!(
                text.contains("must be an http:// or https:// web address"),
                "{bad}: {text}"
            );
            let text = parse_err(&format!(
                "name: x\nstart: \"{bad}\"\nsteps:\n  - goto: http://a\n"
            ));
            assert!(text.contains("`start` must be"), "{bad}: {text}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("1500ms"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("10 parsecs"), None);
    }

    #[test]
    fn full_example_parses() {
        let plan = parse_ok(
            r##"
name: 演示
carrier: h5
start: ${base_url}/login
vars:
  base_url: http://127.0.0.1:8080
  username: alice
secrets:
  password: hunter22
timeout: 1500ms
steps:
  - fill: { css: "#username", value: "${username}" }
  - fill: { label: ["密码"], value: "${password}" }
  - click: ["登录"]
  - click: { text: ["确认"], commit: true }
  - hover: 会员中心
  - find: { text: ["取消自动续费"], reveal: 3 }
  - switch_off: ["自动续费"]
  - confirm: { reason: ["不再需要"] }
  - confirm: {}
  - code: { css: "#sms", prompt: "短信验证码", from: env:SMS }
  - expect: { text: ["已关闭"] }
  - expect: { switch: off, text: ["自动续费"] }
  - screenshot: proof
  - wait: 2s
  - wait: { text: ["成功"] }
  - goto: ${base_url}/x
"##,
        );
        assert_eq!(plan.carrier, Carrier::H5);
        assert_eq!(plan.start, "http://127.0.0.1:8080/login");
        assert_eq!(plan.timeout, Duration::from_millis(1500));
        assert_eq!(plan.steps.len(), 16);
        assert_eq!(plan.account.as_deref(), Some("alice"));
        assert!(matches!(
            &plan.steps[1].action,
            Action::Fill {
                value: FillValue::Secret(_),
                ..
            }
        ));
        assert!(matches!(
            &plan.steps[3].action,
            Action::Click { commit: true, .. }
        ));
        assert!(matches!(
            &plan.steps[5].action,
            Action::Find { reveal: 3, .. }
        ));
        assert!(matches!(
            &plan.steps[11].action,
            Action::ExpectSwitchOff { .. }
        ));
        assert!(matches!(&plan.steps[13].action, Action::WaitFor { .. }));
        assert_eq!(plan.steps[2].line, 14);
    }

    #[test]
    fn unknown_step_points_at_it_with_a_hint() {
        let text = parse_err(
            "name: x\nstart: http://a\nsteps:\n  - goto: http://a\n  - clik: [\"登录\"]\n",
        );
        assert!(
            text.starts_with("t.yaml:5:5: unknown step `clik` (did you mean `click`?)"),
            "{text}"
        );
    }

    #[test]
    fn unknown_step_is_said_in_chinese_and_kept_in_english() {
        let diags = parse(
            Path::new("t.yaml"),
            "name: x\nstart: http://a\nsteps:\n  - clik: [\"登录\"]\n",
            &Overrides::default(),
            true,
        )
        .expect_err("should fail");
        let d = &diags.0[0];
        let help = d.help.as_ref().expect("a hint");
        assert_eq!(d.message.in_lang("zh"), "不认识的步骤 `clik`");
        assert_eq!(help.in_lang("zh"), "你是不是想写 `click`？");
        assert_eq!(d.message.english(), "unknown step `clik`");
        assert_eq!(help.english(), "did you mean `click`?");
    }

    #[test]
    fn unknown_name_points_at_the_reference() {
        let text = parse_err("name: x\nstart: http://a\nsteps:\n  - fill: { css: a, value: \"${usernme}\" }\nvars:\n  username: u\n");
        assert!(
            text.starts_with("t.yaml:4:29: unknown name `usernme` (did you mean `${username}`?)"),
            "{text}"
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let text = parse_err("name: x\nstrat: http://a\nsteps:\n  - click: {}\n  - wait: 10\n");
        assert!(
            text.contains("t.yaml:2:1: unknown key `strat` (did you mean `start`?)"),
            "{text}"
        );
        assert!(text.contains("the script has no `start`"), "{text}");
        assert!(
            text.contains("t.yaml:4:5: `click` needs something to look for"),
            "{text}"
        );
        assert!(text.contains("`wait: 10`: not a duration"), "{text}");
    }

    #[test]
    fn yaml_syntax_error_has_a_position() {
        let text = parse_err("name: x\nsteps:\n  - click: [\"a\"\n");
        assert!(text.starts_with("t.yaml:"), "{text}");
        assert!(text.contains("not valid YAML"), "{text}");
    }

    #[test]
    fn overrides_win_and_env_is_required_for_runs() {
        let src = "name: x\nstart: ${base}/l\nvars:\n  base: http://a\nsecrets:\n  pw: ${env:JIEYUE_SURELY_UNSET}\nsteps:\n  - fill: { css: a, value: \"${pw}\" }\n";
        let text = parse(Path::new("t.yaml"), src, &Overrides::default(), true)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("t.yaml:6:7: environment variable `JIEYUE_SURELY_UNSET` is not set"),
            "{text}"
        );
        let ok = parse(Path::new("t.yaml"), src, &Overrides::default(), false);
        assert!(ok.is_ok());
        let overrides = Overrides {
            vars: vec![("base".into(), "http://b".into())],
            secrets: vec![("pw".into(), Secret::new("s3cret!"))],
            timeout: None,
        };
        let plan = parse(Path::new("t.yaml"), src, &overrides, true).unwrap();
        assert_eq!(plan.start, "http://b/l");
        assert_eq!(plan.secrets[0].expose(), "s3cret!");
    }

    #[test]
    fn misplaced_target_key_gets_an_indent_hint() {
        let text = parse_err("name: x\nstart: http://a\nsteps:\n  - click: a\n    css: b\n");
        assert!(text.contains("indent `css` under `click:`"), "{text}");
    }
}
