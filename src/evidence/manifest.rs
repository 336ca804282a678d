//! The manifest of an evidence folder: every file's SHA-256, each entry chained to the one
//! before, so that altering, removing or reordering any file breaks every later link.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "manifest.json";
pub const RUN_JSON: &str = "run.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// SHA-256 of (previous entry's `chain` + this file name + this file's hash): altering,
    /// removing or reordering any entry breaks every later link.
    pub chain: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub algorithm: String,
    pub entries: Vec<ManifestEntry>,
}

pub fn chain_link(previous: &str, file: &str, sha256: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(file.as_bytes());
    h.update(b"\n");
    h.update(sha256.as_bytes());
    hex(&h.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Links every entry to the one before it.
pub fn relink(entries: &mut [ManifestEntry]) {
    let mut previous = String::new();
    for e in entries {
        e.chain = chain_link(&previous, &e.file, &e.sha256);
        previous = e.chain.clone();
    }
}

/// Temporary files carry this prefix; `evidence verify` knows them as the trace of a write
/// that was interrupted, not as added evidence.
pub const TEMP_PREFIX: &str = ".jieyue-tmp-";
