//! `${name}` and `${env:NAME}` expansion.

use std::collections::BTreeMap;

use crate::secret::Secret;

/// Values a template can refer to.
#[derive(Default)]
pub struct Scope {
    pub vars: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, Secret>,
    /// When false (`jieyue validate`), an unset environment variable is not an error:
    /// the person checking a script need not have their password exported.
    pub require_env: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// True when any part came from a secret: the whole string is then secret.
    pub secret: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TemplateError {
    Unknown {
        reference: String,
        name: String,
    },
    EnvUnset {
        reference: String,
        name: String,
    },
    Unclosed {
        reference: String,
    },
    /// `${env:}`: no variable named.
    EmptyEnv {
        reference: String,
    },
}

impl Scope {
    pub fn expand(&self, input: &str) -> Result<Expanded, TemplateError> {
        let mut out = String::new();
        let mut secret = false;
        let mut rest = input;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(TemplateError::Unclosed {
                    reference: rest[start..].to_string(),
                });
            };
            let name = after[..end].trim();
            let reference = format!("${{{}}}", &after[..end]);
            if let Some(env_name) = name.strip_prefix("env:") {
                if env_name.trim().is_empty() {
                    return Err(TemplateError::EmptyEnv { reference });
                }
                match std::env::var(env_name) {
                    Ok(value) => out.push_str(&value),
                    Err(_) if !self.require_env => out.push_str(&reference),
                    Err(_) => {
                        return Err(TemplateError::EnvUnset {
                            reference,
                            name: env_name.to_string(),
                        })
                    }
                }
            } else if let Some(value) = self.vars.get(name) {
                out.push_str(value);
            } else if let Some(value) = self.secrets.get(name) {
                out.push_str(value.expose());
                secret = true;
            } else {
                return Err(TemplateError::Unknown {
                    reference,
                    name: name.to_string(),
                });
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(Expanded { text: out, secret })
    }

    pub fn names(&self) -> Vec<&str> {
        self.vars
            .keys()
            .chain(self.secrets.keys())
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_vars_secrets_and_env() {
        let mut scope = Scope {
            require_env: true,
            ..Scope::default()
        };
        scope.vars.insert("base".into(), "http://x".into());
        scope.secrets.insert("pw".into(), Secret::new("s3cret"));
        std::env::set_var("JIEYUE_TEMPLATE_TEST", "env-value");
        assert_eq!(
            scope.expand("${base}/login").unwrap(),
            Expanded {
                text: "http://x/login".into(),
                secret: false
            }
        );
        assert!(scope.expand("${pw}").unwrap().secret);
        assert_eq!(
            scope.expand("${env:JIEYUE_TEMPLATE_TEST}").unwrap().text,
            "env-value"
        );
        assert!(matches!(
            scope.expand("${nope}"),
            Err(TemplateError::Unknown { .. })
        ));
        assert!(matches!(
            scope.expand("${env:JIEYUE_SURELY_UNSET_VAR}"),
            Err(TemplateError::EnvUnset { .. })
        ));
        assert!(matches!(
            scope.expand("${base"),
            Err(TemplateError::Unclosed { .. })
        ));
    }
}
