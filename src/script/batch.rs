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

use super::diagnostic::{Diagnostic, Diagnostics, Pos};
use super::source::SourceMap;
use crate::said;
use crate::said::Said;
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

/// Reads a batch file. Every problem is reported at once, located like a script's
/// (`file:line:col: message`), none of them quoting a secret; no job starts unless all are
/// right.
pub fn load_batch(path: &Path) -> Result<Batch, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            width: 0,
            message: said!("script.batch_cannot_read", problem = e.to_string()),
            help: Some(said!("script.check_path")),
            source_line: String::new(),
        }])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let map = SourceMap::for_list(&text, "jobs");
    let mut problems = Problems {
        file: path,
        src: &text,
        list: Vec::new(),
    };
    let raw = parse_raw(path, &text, &map)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let file_secrets = read_secrets_file(&raw, base, &map, &mut problems);
    if raw.jobs.is_empty() {
        let pos = map.top_key("jobs").unwrap_or_else(|| map.first_line());
        problems.push(
            pos,
            said!("script.batch_no_jobs"),
            Some(said!("script.batch_no_jobs_help")),
        );
    }
    let mut common_vars = Vec::new();
    for (k, v) in &raw.vars {
        match scalar(v) {
            Some(v) => common_vars.push((k.clone(), v)),
            None => {
                let pos = map.in_top("vars", k).unwrap_or_else(|| map.first_line());
                problems.push(pos, said!("script.batch_var", name = k), None);
            }
        }
    }
    let mut jobs = Vec::new();
    for (i, job) in raw.jobs.into_iter().enumerate() {
        let number = i + 1;
        let at = |problem: Said| {
            said!(
                "script.batch_job",
                number = number,
                script = &job.script,
                problem = problem
            )
        };
        let script = base.join(&job.script);
        if !script.is_file() {
            problems.push(
                map.in_step(i, &job.script),
                at(said!(
                    "script.batch_no_script",
                    path = script.display().to_string()
                )),
                Some(said!("script.batch_relative")),
            );
        }
        let mut vars = common_vars.clone();
        for (k, v) in &job.vars {
            match scalar(v) {
                Some(v) => vars.push((k.clone(), v)),
                None => problems.push(
                    map.in_step(i, k),
                    at(said!("script.batch_var", name = k)),
                    None,
                ),
            }
        }
        let mut secrets = Vec::new();
        for (k, source) in &job.secrets {
            let pos = map.in_step(i, k);
            match job_secret(k, source, &file_secrets, raw.secrets_file.is_some()) {
                Ok(v) => secrets.push((k.clone(), Secret::new(v))),
                Err((message, help)) => {
                    problems.push(pos, at(message), Some(help));
                    // The line may hold the secret itself: the problem is placed, not quoted.
                    if let Some(d) = problems.list.last_mut() {
                        d.source_line.clear();
                    }
                }
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
    if problems.list.is_empty() {
        Ok(Batch {
            source: path.to_path_buf(),
            jobs,
        })
    } else {
        Err(Diagnostics(problems.list))
    }
}

/// The batch file as YAML, or where it is not the shape of one.
fn parse_raw(path: &Path, text: &str, map: &SourceMap) -> Result<RawBatch, Diagnostics> {
    serde_yaml::from_str(text).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos {
                line: l.line(),
                col: l.column(),
                width: 1,
            })
            .unwrap_or_else(|| map.first_line());
        // The YAML reader's own words (an unknown field, a wrong type) are kept as they are.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        let mut d = Diagnostic::new(path, text, pos, message).help(said!("script.batch_shape"));
        // A batch file may hold a secret by mistake: the line is placed, not quoted.
        d.source_line.clear();
        Diagnostics(vec![d])
    })
}

/// The problems found so far, each placed in the batch file.
struct Problems<'a> {
    file: &'a Path,
    src: &'a str,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn push(&mut self, pos: Pos, message: Said, help: Option<Said>) {
        let mut d = Diagnostic::new(self.file, self.src, pos, message);
        d.help = help;
        self.list.push(d);
    }
}

/// The `key: value` lines of the batch's `secrets_file`, if it names one.
fn read_secrets_file(
    raw: &RawBatch,
    base: &Path,
    map: &SourceMap,
    problems: &mut Problems,
) -> BTreeMap<String, String> {
    let Some(f) = &raw.secrets_file else {
        return BTreeMap::new();
    };
    let pos = map
        .top_key("secrets_file")
        .unwrap_or_else(|| map.first_line());
    let p = base.join(f);
    match std::fs::read_to_string(&p) {
        Err(e) => {
            problems.push(
                pos,
                said!(
                    "script.batch_cannot_read_secrets",
                    path = p.display().to_string(),
                    problem = e.to_string()
                ),
                Some(said!("script.batch_secrets_relative")),
            );
            BTreeMap::new()
        }
        Ok(t) => match serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&t) {
            Ok(m) => m
                .into_iter()
                .filter_map(|(k, v)| scalar(&v).map(|v| (k, v)))
                .collect(),
            Err(_) => {
                problems.push(
                    pos,
                    said!("script.batch_secrets_shape", path = p.display().to_string()),
                    Some(said!("script.batch_secrets_shape_help")),
                );
                BTreeMap::new()
            }
        },
    }
}

/// A job's secret from where the batch file says it comes from: `env:NAME` or `file:KEY`.
/// A value written out in the batch file itself is refused (batch files get shared).
fn job_secret(
    k: &str,
    source: &str,
    file_secrets: &BTreeMap<String, String>,
    has_file: bool,
) -> Result<String, (Said, Said)> {
    if let Some(name) = source.strip_prefix("env:") {
        return match std::env::var(name) {
            Ok(v) if !v.is_empty() => Ok(v),
            _ => Err((
                said!("script.batch_env_unset", name = k, var = name),
                said!("script.batch_env_unset_help"),
            )),
        };
    }
    if let Some(key) = source.strip_prefix("file:") {
        return file_secrets.get(key).cloned().ok_or_else(|| {
            let message = if has_file {
                said!("script.batch_key_missing", name = k, key = key)
            } else {
                said!("script.batch_no_secrets_file", name = k, key = key)
            };
            (message, said!("script.batch_key_help"))
        });
    }
    Err((
        said!("script.batch_written_out", name = k),
        said!("script.batch_written_out_help"),
    ))
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
        let err: Vec<String> = load_batch(&path)
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].contains("job 2") && err[0].contains("written out"),
            "{err:?}"
        );
        assert!(err[0].contains("b.yaml:8:"), "located: {err:?}");
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
