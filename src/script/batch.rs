//! Batch files: many runs (platforms, accounts) in one YAML file for `jieyue batch`.
//!
//! ```yaml
//! secrets_file: secrets.yaml        # optional: `key: value` lines, readable by you alone
//! vars: { base_url: http://127.0.0.1:8080 }   # optional: for every job
//! jobs:
//!   - script: scripts/demo-web.yaml # relative to this file
//!     name: 云途 · demo             # optional label for the table
//!     vars: { username: demo }
//!     secrets: { password: env:YUNTU_PASSWORD }   # env:NAME, or file:KEY of secrets_file
//!     profile: yuntu-demo           # optional saved session (--profile)
//! ```
//! A secret written out in the batch file itself is refused: batch files get shared.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct BatchJob {
    /// 1-based, in file order.
    pub number: usize,
    pub name: Option<String>,
    pub script: PathBuf,
    pub vars: Vec<(String, String)>,
    pub secrets: Vec<(String, Secret)>,
    pub profile: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub source: PathBuf,
    pub jobs: Vec<BatchJob>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    #[serde(default)]
    secrets_file: Option<String>,
    #[serde(default)]
    vars: BTreeMap<String, serde_yaml::Value>,
    jobs: Vec<RawJob>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    script: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    vars: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
    #[serde(default)]
    profile: Option<String>,
}

fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a batch file. Every problem is reported (as `file: job N: …`), none of them quoting
/// a secret; no job starts unless all are right.
pub fn load_batch(path: &Path) -> Result<Batch, Vec<String>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{shown}: cannot read the batch file: {e}")])?;
    let raw: RawBatch = serde_yaml::from_str(&text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        vec![format!(
            "{shown}{at}: {e} (a batch file has `jobs:`, a list of `- script: …` with optional vars, secrets, profile, name; and optional top-level `vars` and `secrets_file`)"
        )]
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    let file_secrets: BTreeMap<String, String> = match &raw.secrets_file {
        None => BTreeMap::new(),
        Some(f) => {
            let p = base.join(f);
            match std::fs::read_to_string(&p) {
                Err(e) => {
                    problems.push(format!(
                        "{shown}: cannot read the secrets file {}: {e}",
                        p.display()
                    ));
                    BTreeMap::new()
                }
                Ok(t) => match serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&t) {
                    Ok(m) => m
                        .into_iter()
                        .filter_map(|(k, v)| scalar(&v).map(|v| (k, v)))
                        .collect(),
                    Err(_) => {
                        problems.push(format!(
                            "{}: a secrets file is `key: value` lines",
                            p.display()
                        ));
                        BTreeMap::new()
                    }
                },
            }
        }
    };
    if raw.jobs.is_empty() {
        problems.push(format!(
            "{shown}: `jobs` is empty: add `- script: scripts/….yaml`"
        ));
    }
    let mut common_vars = Vec::new();
    for (k, v) in &raw.vars {
        match scalar(v) {
            Some(v) => common_vars.push((k.clone(), v)),
            None => problems.push(format!("{shown}: var `{k}` must be a single value")),
        }
    }
    let mut jobs = Vec::new();
    for (i, job) in raw.jobs.into_iter().enumerate() {
        let number = i + 1;
        let at = format!("{shown}: job {number} (`{}`)", job.script);
        let script = base.join(&job.script);
        if !script.is_file() {
            problems.push(format!(
                "{at}: the script {} does not exist",
                script.display()
            ));
        }
        let mut vars = common_vars.clone();
        for (k, v) in &job.vars {
            match scalar(v) {
                Some(v) => vars.push((k.clone(), v)),
                None => problems.push(format!("{at}: var `{k}` must be a single value")),
            }
        }
        let mut secrets = Vec::new();
        for (k, source) in &job.secrets {
            let value = if let Some(name) = source.strip_prefix("env:") {
                match std::env::var(name) {
                    Ok(v) if !v.is_empty() => Some(v),
                    _ => {
                        problems.push(format!(
                            "{at}: secret `{k}` comes from the environment variable {name}, which is not set: export {name}=…"
                        ));
                        None
                    }
                }
            } else if let Some(key) = source.strip_prefix("file:") {
                match file_secrets.get(key) {
                    Some(v) => Some(v.clone()),
                    None => {
                        problems.push(format!(
                            "{at}: secret `{k}` comes from key `{key}` of the secrets file, which {}",
                            if raw.secrets_file.is_some() { "does not have it" } else { "is not named: add `secrets_file: PATH`" }
                        ));
                        None
                    }
                }
            } else {
                problems.push(format!(
                    "{at}: secret `{k}` is written out in the batch file: take it from the environment (`{k}: env:NAME`) or a secrets file (`{k}: file:KEY`)"
                ));
                None
            };
            if let Some(v) = value {
                secrets.push((k.clone(), Secret::new(v)));
            }
        }
        jobs.push(BatchJob {
            number,
            name: job.name,
            script,
            vars,
            secrets,
            profile: job.profile,
        });
    }
    if problems.is_empty() {
        Ok(Batch {
            source: path.to_path_buf(),
            jobs,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jobs_and_refuses_written_out_secrets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.yaml"), "name: x\n").unwrap();
        std::fs::write(dir.path().join("secrets.yaml"), "yuntu: hunter22\n").unwrap();
        let path = dir.path().join("b.yaml");
        std::fs::write(
            &path,
            "secrets_file: secrets.yaml\nvars: { base_url: http://x }\njobs:\n  - script: s.yaml\n    vars: { username: demo }\n    secrets: { password: file:yuntu }\n  - script: s.yaml\n    secrets: { password: plain-text-pw }\n",
        )
        .unwrap();
        let err = load_batch(&path).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].contains("job 2") && err[0].contains("written out"),
            "{err:?}"
        );
        assert!(!err[0].contains("plain-text-pw"));

        std::fs::write(
            &path,
            "secrets_file: secrets.yaml\nvars: { base_url: http://x }\njobs:\n  - script: s.yaml\n    vars: { username: demo }\n    secrets: { password: file:yuntu }\n",
        )
        .unwrap();
        let batch = load_batch(&path).unwrap();
        assert_eq!(batch.jobs[0].vars.len(), 2);
        assert_eq!(batch.jobs[0].secrets[0].1.expose(), "hunter22");
    }
}
