//! The evidence folder, written as the run goes: every file is hashed into a chained
//! manifest that is rewritten atomically after each file, so a crash leaves a manifest that
//! verifies over everything written so far.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::manifest::{relink, sha256_hex};
pub use super::manifest::{Manifest, ManifestEntry, MANIFEST, RUN_JSON, TEMP_PREFIX};
use crate::record::{RunRecord, Sink, SinkError};
use crate::secret::Redactor;

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("the evidence folder {0} is not empty; jieyue never writes over earlier evidence: choose a new folder with --evidence DIR")]
    NotEmpty(PathBuf),
    #[error("cannot write evidence in {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub struct Recorder {
    dir: PathBuf,
    manifest: Manifest,
    redactor: Redactor,
    /// The first write that failed: from then on the run must not change anything more.
    failure: Option<String>,
}

impl Recorder {
    /// Creates the folder (and its parents). Refuses a folder that already holds files.
    pub fn create(dir: &Path, redactor: Redactor) -> Result<Recorder, EvidenceError> {
        let io = |source| EvidenceError::Io {
            path: dir.to_path_buf(),
            source,
        };
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(io)?;
            if entries.next().is_some() {
                return Err(EvidenceError::NotEmpty(dir.to_path_buf()));
            }
        }
        fs::create_dir_all(dir).map_err(io)?;
        Ok(Recorder {
            dir: dir.to_path_buf(),
            manifest: Manifest {
                algorithm: "sha256-chain/1".into(),
                entries: Vec::new(),
            },
            redactor,
            failure: None,
        })
    }

    /// Opens the folder of an earlier run to add to it (a re-check): its manifest goes on
    /// from where it ended. The caller checks first that the folder verifies.
    pub fn append(dir: &Path, redactor: Redactor) -> Result<Recorder, EvidenceError> {
        let path = dir.join(MANIFEST);
        let bytes = fs::read(&path).map_err(|source| EvidenceError::Io {
            path: path.clone(),
            source,
        })?;
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| EvidenceError::Io {
            path,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        Ok(Recorder {
            dir: dir.to_path_buf(),
            manifest,
            redactor,
            failure: None,
        })
    }

    /// Why the folder could not be written, if a write has failed.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// A secret learned during the run (a verification code) joins the redaction set.
    pub fn set_redactor(&mut self, redactor: Redactor) {
        self.redactor = redactor;
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The secrets removed from every text and name written.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Writes a file (a name never carries a secret: it is redacted too) and chains it
    /// into the manifest. Returns the name used.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<String, EvidenceError> {
        let written = self.write_checked(name, bytes);
        if let (Err(e), None) = (&written, &self.failure) {
            self.failure = Some(e.to_string());
        }
        written
    }

    fn write_checked(&mut self, name: &str, bytes: &[u8]) -> Result<String, EvidenceError> {
        let name = self
            .redactor
            .redact(name)
            .replace(super::super::secret::MASK, "redacted");
        let sha = sha256_hex(bytes);
        // A file written again (run.json after each step) moves to the end, and the chain
        // is linked again from the first entry.
        self.manifest.entries.retain(|e| e.file != name);
        self.manifest.entries.push(ManifestEntry {
            file: name.clone(),
            sha256: sha,
            bytes: bytes.len() as u64,
            chain: String::new(),
        });
        relink(&mut self.manifest.entries);
        // Both files are complete on disk before either takes its name, and the two renames
        // follow each other: a crash leaves the old pair or the new pair, bar that instant.
        let file = staged(&self.dir, bytes)?;
        let manifest = staged(&self.dir, &self.manifest_bytes())?;
        persist(file, &self.dir.join(&name))?;
        persist(manifest, &self.dir.join(MANIFEST))?;
        Ok(name)
    }

    /// Text files pass through the redactor on their way to disk.
    pub fn write_text(&mut self, name: &str, text: &str) -> Result<String, EvidenceError> {
        let clean = self.redactor.redact(text);
        self.write(name, clean.as_bytes())
    }

    pub fn write_record(&mut self, record: &RunRecord) -> Result<(), EvidenceError> {
        let json = serde_json::to_string_pretty(record).expect("a run record serialises");
        self.write_text(RUN_JSON, &json).map(|_| ())
    }

    fn manifest_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(&self.manifest).expect("a manifest serialises")
    }

    /// The manifest as written so far.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }
}

fn staged(dir: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, EvidenceError> {
    let io = |source| EvidenceError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_data().map_err(io)?;
    Ok(tmp)
}

fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), EvidenceError> {
    tmp.persist(path).map_err(|e| EvidenceError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

impl Sink for Recorder {
    fn place(&self) -> &Path {
        &self.dir
    }

    fn file(&mut self, name: &str, bytes: &[u8]) -> Result<String, SinkError> {
        self.write(name, bytes)
            .map_err(|e| SinkError(e.to_string()))
    }

    fn text(&mut self, name: &str, text: &str) -> Result<String, SinkError> {
        self.write_text(name, text)
            .map_err(|e| SinkError(e.to_string()))
    }

    fn record(&mut self, record: &RunRecord) -> Result<(), SinkError> {
        self.write_record(record)
            .map_err(|e| SinkError(e.to_string()))
    }

    fn redact_with(&mut self, redactor: Redactor) {
        self.set_redactor(redactor);
    }

    fn failure(&self) -> Option<&str> {
        Recorder::failure(self)
    }
}
