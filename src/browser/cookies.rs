//! Cookies imported from a JSON file: the export of common browser extensions (an array of
//! `{name, value, domain, path, secure, httpOnly, expirationDate, sameSite}`), or
//! `{"cookies": [...]}`. Values are secrets: they log a person in.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct ImportedCookie {
    pub name: String,
    pub value: Secret,
    /// Without a leading dot; `host_only` cookies apply to this host alone.
    pub domain: String,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    /// Seconds since the epoch; none for a session cookie.
    pub expires: Option<u64>,
    pub same_site: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum File {
    List(Vec<Raw>),
    Wrapped { cookies: Vec<Raw> },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    name: String,
    value: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    secure: bool,
    #[serde(default)]
    http_only: bool,
    #[serde(default, alias = "expiry", alias = "expires")]
    expiration_date: Option<f64>,
    #[serde(default)]
    same_site: Option<String>,
}

/// Why a cookie file cannot be used. Never quotes a cookie value.
#[derive(Debug, thiserror::Error)]
pub enum CookieError {
    #[error("{}: cannot read the cookie file: {source} (check the path)", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: not a cookie export: expected a JSON array of {{\"name\", \"value\", \"domain\", …}} as browser extensions export it", path.display())]
    Format {
        path: PathBuf,
        line: usize,
        col: usize,
    },
    #[error("{}: the file holds no cookies (export them again while logged in)", path.display())]
    Empty { path: PathBuf },
}

/// Reads and checks the file before any browser starts. Errors name the file and say what
/// was expected; they never quote a cookie value.
pub fn load(path: &Path) -> Result<Vec<ImportedCookie>, CookieError> {
    let text = std::fs::read_to_string(path).map_err(|source| CookieError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file: File = serde_json::from_str(&text).map_err(|e| CookieError::Format {
        path: path.to_path_buf(),
        line: e.line(),
        col: e.column(),
    })?;
    let raw = match file {
        File::List(l) | File::Wrapped { cookies: l } => l,
    };
    if raw.is_empty() {
        return Err(CookieError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(raw
        .into_iter()
        .map(|r| ImportedCookie {
            name: r.name,
            value: Secret::new(r.value),
            domain: r.domain.trim_start_matches('.').to_string(),
            path: r.path.unwrap_or_else(|| "/".into()),
            secure: r.secure,
            http_only: r.http_only,
            expires: r.expiration_date.filter(|e| *e > 0.0).map(|e| e as u64),
            same_site: r.same_site.and_then(|s| match s.to_lowercase().as_str() {
                "lax" => Some("Lax".into()),
                "strict" => Some("Strict".into()),
                "none" | "no_restriction" => Some("None".into()),
                _ => None,
            }),
        })
        .collect())
}

impl ImportedCookie {
    /// Whether the cookie belongs to `host` (its domain or a parent domain of it).
    pub fn applies_to(&self, host: &str) -> bool {
        self.domain.is_empty()
            || host == self.domain
            || host.ends_with(&format!(".{}", self.domain))
    }

    pub fn to_webdriver(&self) -> cookie::Cookie<'static> {
        let mut c = cookie::Cookie::new(self.name.clone(), self.value.expose().to_string());
        c.set_path(self.path.clone());
        if !self.domain.is_empty() {
            c.set_domain(self.domain.clone());
        }
        c.set_secure(self.secure);
        c.set_http_only(self.http_only);
        if let Some(e) = self
            .expires
            .and_then(|e| time::OffsetDateTime::from_unix_timestamp(e as i64).ok())
        {
            c.set_expires(e);
        }
        match self.same_site.as_deref() {
            Some("Lax") => c.set_same_site(cookie::SameSite::Lax),
            Some("Strict") => c.set_same_site(cookie::SameSite::Strict),
            Some("None") => c.set_same_site(cookie::SameSite::None),
            _ => {}
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_extension_export_and_keeps_values_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(
            &path,
            r#"[{"domain":".example.com","expirationDate":1893456000.5,"hostOnly":false,"httpOnly":true,"name":"sid","path":"/","sameSite":"no_restriction","secure":true,"session":false,"storeId":"0","value":"s3cr3t-v"}]"#,
        )
        .unwrap();
        let c = load(&path).unwrap();
        assert_eq!(c[0].domain, "example.com");
        assert!(c[0].applies_to("www.example.com") && !c[0].applies_to("example.org"));
        assert_eq!(c[0].expires, Some(1893456000));
        assert_eq!(format!("{:?}", c[0]).matches("s3cr3t").count(), 0);

        std::fs::write(&path, r#"{"name": "x"}"#).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("not a cookie export"), "{err}");
    }
}
