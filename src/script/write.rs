//! A format-v1 script written from what `explore` saw: keywords only (css only where a field
//! has no words), secrets as `${env:…}`, and comments that say where each step came from.
//! The text is checked by the same parser as every script before anyone sees it.

use std::fmt::Write as _;
use std::path::Path;

use super::{parse, Carrier, Diagnostics, Overrides, Plan};

/// A field of the login form: its words, or its css where it has none.
#[derive(Debug, Clone)]
pub struct FieldDraft {
    pub words: Vec<String>,
    pub css: String,
}

/// The login as it went.
#[derive(Debug, Clone)]
pub struct LoginDraft {
    pub account: FieldDraft,
    pub password: FieldDraft,
    pub submit: Vec<String>,
    pub logged_in: Vec<String>,
}

/// One navigation move of the way to the setting.
#[derive(Debug, Clone)]
pub struct MoveDraft {
    pub hover: bool,
    pub label: String,
}

/// One membership to turn off.
#[derive(Debug, Clone)]
pub struct ServiceDraft {
    pub keywords: Vec<String>,
    /// What the page showed, for the comment: `on (switch checked)`.
    pub seen: String,
}

#[derive(Debug, Clone)]
pub struct Draft {
    pub name: String,
    pub carrier: Carrier,
    /// `scheme://host[:port]` of the platform, and the path explored from.
    pub base_url: String,
    pub start_path: String,
    pub explored_at: String,
    pub login: Option<LoginDraft>,
    pub path: Vec<MoveDraft>,
    pub services: Vec<ServiceDraft>,
    /// The words of a password field in the confirmation dialog, when the page has one.
    pub dialog_password: Option<Vec<String>>,
    /// Said at the top, as comments.
    pub notes: Vec<String>,
}

/// A YAML string that says exactly `s` (JSON strings are YAML double-quoted scalars).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn list(words: &[String]) -> String {
    format!(
        "[{}]",
        words.iter().map(|w| q(w)).collect::<Vec<_>>().join(", ")
    )
}

/// Words that can go into a script as they are: `${` would be read as a variable.
fn usable(words: &[String]) -> Vec<String> {
    words
        .iter()
        .filter(|w| !w.contains("${") && !w.trim().is_empty())
        .cloned()
        .collect()
}

fn field_target(f: &FieldDraft) -> String {
    let words = usable(&f.words);
    if words.is_empty() {
        format!("css: {}", q(&f.css))
    } else {
        format!("label: {}", list(&words))
    }
}

impl Draft {
    /// The script's text.
    pub fn to_yaml(&self) -> String {
        let mut y = String::new();
        let _ = writeln!(
            y,
            "# Written by `jieyue explore` on {} from {}{}.",
            self.explored_at, self.base_url, self.start_path
        );
        let way = if self.path.is_empty() {
            "the first page".to_string()
        } else {
            self.path
                .iter()
                .map(|m| {
                    if m.hover {
                        format!("{} (hover)", m.label)
                    } else {
                        m.label.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let _ = writeln!(y, "# The way to the renewal setting it found: {way}.");
        for s in &self.services {
            let _ = writeln!(y, "# Seen there: {} — {}.", s.keywords.join(" / "), s.seen);
        }
        for note in &self.notes {
            let _ = writeln!(y, "# {note}");
        }
        y.push_str("# Check it with `jieyue locate THIS_FILE` (clicks nothing that changes anything), then `jieyue run THIS_FILE`.\n");
        let _ = writeln!(y, "name: {}", q(&self.name));
        let _ = writeln!(y, "carrier: {}", self.carrier.as_str());
        let _ = writeln!(
            y,
            "start: {}",
            q(&format!("${{base_url}}{}", self.start_path))
        );
        y.push_str("vars:\n");
        let _ = writeln!(y, "  base_url: {}", q(&self.base_url));
        if self.login.is_some() {
            y.push_str("  username: ${env:JIEYUE_USER}\n");
            y.push_str("secrets:\n  password: ${env:JIEYUE_PASSWORD}\n");
        }
        y.push_str("timeout: 10s\n");
        if let Some(words) = self.login.as_ref().map(|l| usable(&l.logged_in)) {
            if !words.is_empty() {
                y.push_str("# Words only a logged-in page shows: with a saved session (--profile, --cookies)\n# the login steps are skipped.\n");
                let _ = writeln!(y, "logged_in: {{ text: {} }}", list(&words));
            }
        }
        y.push_str("steps:\n");
        if let Some(login) = &self.login {
            y.push_str("  # Log in (the account and password come from JIEYUE_USER and JIEYUE_PASSWORD).\n");
            let _ = writeln!(
                y,
                "  - fill: {{ {}, value: \"${{username}}\" }}",
                field_target(&login.account)
            );
            let _ = writeln!(
                y,
                "  - fill: {{ {}, value: \"${{password}}\" }}",
                field_target(&login.password)
            );
            let _ = writeln!(y, "  - click: {}", list(&usable(&login.submit)));
            let words = usable(&login.logged_in);
            if !words.is_empty() {
                let _ = writeln!(y, "  - expect: {{ text: {} }}", list(&words));
            }
        }
        for (i, service) in self.services.iter().enumerate() {
            if i > 0 {
                y.push_str("  # Back to the way in, for the next membership.\n");
                y.push_str("  - goto: ${base_url}");
                y.push_str(&self.start_path);
                y.push('\n');
            }
            if !self.path.is_empty() {
                y.push_str("  # The way to the renewal setting (navigation only).\n");
            }
            for m in &self.path {
                let kind = if m.hover { "hover" } else { "click" };
                let _ = writeln!(y, "  - {kind}: {}", list(std::slice::from_ref(&m.label)));
            }
            let _ = writeln!(
                y,
                "  # {}: turned off only if it is on; a second run says “already off”.",
                service.keywords.join(" / ")
            );
            let _ = writeln!(y, "  - switch_off: {}", list(&usable(&service.keywords)));
            if let (Some(words), Some(_)) = (&self.dialog_password, &self.login) {
                y.push_str("  # The page holds a confirmation that asks for the login password.\n");
                let _ = writeln!(
                    y,
                    "  - fill: {{ within: dialog, label: {}, value: \"${{password}}\" }}",
                    list(&usable(words))
                );
            } else {
                y.push_str("  # If the confirmation asks for your password, add here:\n  #   - fill: { within: dialog, label: [\"密码\"], value: \"${password}\" }\n");
            }
            y.push_str(
                "  # Through the confirmation: the engine's own words, never a decoy or 再想想.\n",
            );
            y.push_str("  - confirm: {}\n");
            y.push_str("  # The page must show the renewal off: what the engine reads as off, not words\n  # that may have been on the page before the change.\n");
            let _ = writeln!(
                y,
                "  - expect: {{ switch: off, text: {} }}",
                list(&usable(&service.keywords))
            );
        }
        y.push_str("  - screenshot: proof\n");
        y
    }

    /// The text, checked as a script by the parser every script goes through.
    pub fn checked(&self, path: &Path) -> Result<(String, Plan), Diagnostics> {
        let text = self.to_yaml();
        let plan = parse(path, &text, &Overrides::default(), false)?;
        Ok((text, plan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            name: "某平台 · explore".into(),
            carrier: Carrier::Web,
            base_url: "http://127.0.0.1:8080".into(),
            start_path: "/login".into(),
            explored_at: "2026-12-03 15:00".into(),
            login: Some(LoginDraft {
                account: FieldDraft {
                    words: vec!["账号".into()],
                    css: "#u".into(),
                },
                password: FieldDraft {
                    words: vec![],
                    css: "#p".into(),
                },
                submit: vec!["登录".into()],
                logged_in: vec!["退出登录".into()],
            }),
            path: vec![
                MoveDraft {
                    hover: true,
                    label: "更多 \"x\"".into(),
                },
                MoveDraft {
                    hover: false,
                    label: "服务详情".into(),
                },
            ],
            services: vec![ServiceDraft {
                keywords: vec!["黄金VIP会员".into(), "自动续费".into()],
                seen: "on (switch checked)".into(),
            }],
            dialog_password: Some(vec!["登录密码".into()]),
            notes: vec!["a note".into()],
        }
    }

    #[test]
    fn the_script_it_writes_is_a_valid_script() {
        let (text, plan) = draft().checked(Path::new("x.yaml")).unwrap();
        assert_eq!(plan.steps.len(), 11, "{text}");
        assert_eq!(plan.login_steps, 4);
        assert!(text.contains("${env:JIEYUE_PASSWORD}"));
        assert!(text.contains("css: \"#p\""));
    }

    #[test]
    fn two_services_go_back_for_the_second() {
        let mut d = draft();
        d.services.push(ServiceDraft {
            keywords: vec!["超级影视VIP".into(), "自动续费".into()],
            seen: "on".into(),
        });
        let (_, plan) = d.checked(Path::new("x.yaml")).unwrap();
        assert_eq!(
            plan.steps
                .iter()
                .filter(|s| s.kind() == "switch_off")
                .count(),
            2
        );
        assert!(plan.steps.iter().any(|s| s.kind() == "goto"));
    }
}
