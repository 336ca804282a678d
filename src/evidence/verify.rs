//! `jieyue evidence verify DIR`: hash every file again and walk the manifest chain.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde::Serialize;

use super::manifest::{chain_link, sha256_hex, Manifest, MANIFEST, TEMP_PREFIX};

/// The first thing found wrong, in manifest order; files the manifest does not list come
/// after every listed file has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The file's bytes are not those that were recorded.
    Altered {
        file: String,
        expected: String,
        found: String,
    },
    Missing {
        file: String,
    },
    /// A file the run did not write.
    Added {
        file: String,
    },
    /// The manifest itself was edited: an entry no longer links to the one before it.
    BrokenChain {
        file: String,
        entry: usize,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Altered { file, expected, found } => write!(
                f,
                "{file} was altered after it was recorded (sha256 recorded {}…, now {}…)",
                &expected[..12.min(expected.len())],
                &found[..12.min(found.len())]
            ),
            Problem::Missing { file } => write!(f, "{file} is missing: the manifest lists it"),
            Problem::Added { file } => {
                write!(f, "{file} was added: the manifest does not list it")
            }
            Problem::BrokenChain { file, entry } => write!(
                f,
                "the manifest was edited at entry {entry} ({file}): its chain link does not follow from the entry before"
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub dir: String,
    pub intact: bool,
    pub files: usize,
    pub bytes: u64,
    /// The last link of the chain: note it somewhere else (a message to yourself) and the
    /// folder can later be shown to be the one you had.
    pub chain_head: Option<String>,
    pub problem: Option<Problem>,
    /// Traces of a write interrupted by a crash (temporary files); not evidence.
    pub interrupted_writes: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(
        "{0} has no {MANIFEST}: it is not a jieyue evidence folder (or the manifest was removed)"
    )]
    NoManifest(String),
    #[error("{path}/{MANIFEST} cannot be read as a manifest: {why}")]
    BadManifest { path: String, why: String },
}

pub fn verify(dir: &Path) -> Result<Verification, VerifyError> {
    let shown = dir.display().to_string();
    let text = fs::read(dir.join(MANIFEST)).map_err(|_| VerifyError::NoManifest(shown.clone()))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| VerifyError::BadManifest {
            path: shown.clone(),
            why: e.to_string(),
        })?;
    let mut out = Verification {
        dir: shown,
        intact: false,
        files: manifest.entries.len(),
        bytes: manifest.entries.iter().map(|e| e.bytes).sum(),
        chain_head: manifest.entries.last().map(|e| e.chain.clone()),
        problem: None,
        interrupted_writes: 0,
    };
    let mut previous = String::new();
    let mut listed = BTreeSet::new();
    for (i, entry) in manifest.entries.iter().enumerate() {
        listed.insert(entry.file.clone());
        if out.problem.is_some() {
            continue;
        }
        if entry.chain != chain_link(&previous, &entry.file, &entry.sha256) {
            out.problem = Some(Problem::BrokenChain {
                file: entry.file.clone(),
                entry: i + 1,
            });
            continue;
        }
        previous = entry.chain.clone();
        match fs::read(dir.join(&entry.file)) {
            Err(_) => {
                out.problem = Some(Problem::Missing {
                    file: entry.file.clone(),
                })
            }
            Ok(bytes) => {
                let found = sha256_hex(&bytes);
                if found != entry.sha256 {
                    out.problem = Some(Problem::Altered {
                        file: entry.file.clone(),
                        expected: entry.sha256.clone(),
                        found,
                    });
                }
            }
        }
    }
    if out.problem.is_none() {
        let mut present: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        present.sort();
        for name in present {
            if name == MANIFEST || listed.contains(&name) {
                continue;
            }
            if name.starts_with(TEMP_PREFIX) {
                out.interrupted_writes += 1;
                continue;
            }
            out.problem = Some(Problem::Added { file: name });
            break;
        }
    }
    out.intact = out.problem.is_none();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Recorder;
    use crate::secret::Redactor;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recorder::create(dir.path(), Redactor::default()).unwrap();
        r.write("01-a.png", b"one").unwrap();
        r.write("run.json", b"{}").unwrap();
        r.write("02-b.png", b"two").unwrap();
        // run.json rewritten: it moves to the end and the chain is linked again.
        r.write("run.json", b"{\"x\":1}").unwrap();
        dir
    }

    #[test]
    fn a_fresh_folder_is_intact_even_after_a_file_is_rewritten() {
        let dir = folder();
        let v = verify(dir.path()).unwrap();
        assert!(v.intact, "{:?}", v.problem);
        assert_eq!(v.files, 3);
    }

    #[test]
    fn names_the_first_altered_missing_or_added_file() {
        let dir = folder();
        fs::write(dir.path().join("02-b.png"), b"tw0").unwrap();
        assert!(
            matches!(verify(dir.path()).unwrap().problem, Some(Problem::Altered { file, .. }) if file == "02-b.png")
        );

        let dir = folder();
        fs::remove_file(dir.path().join("01-a.png")).unwrap();
        assert_eq!(
            verify(dir.path()).unwrap().problem,
            Some(Problem::Missing {
                file: "01-a.png".into()
            })
        );

        let dir = folder();
        fs::write(dir.path().join("extra.png"), b"x").unwrap();
        assert_eq!(
            verify(dir.path()).unwrap().problem,
            Some(Problem::Added {
                file: "extra.png".into()
            })
        );
    }

    #[test]
    fn an_edited_manifest_breaks_the_chain() {
        let dir = folder();
        // Forge: change a file, then put its new hash in the manifest.
        fs::write(dir.path().join("01-a.png"), b"forged").unwrap();
        let path = dir.path().join(MANIFEST);
        let text = fs::read_to_string(&path).unwrap();
        let text = text.replace(&sha256_hex(b"one"), &sha256_hex(b"forged"));
        fs::write(&path, text).unwrap();
        assert_eq!(
            verify(dir.path()).unwrap().problem,
            Some(Problem::BrokenChain {
                file: "01-a.png".into(),
                entry: 1
            })
        );
    }
}
