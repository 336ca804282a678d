//! Platform scripts: YAML text → a validated [`Plan`]. The only module that knows YAML.

mod batch;
mod diagnostic;
mod parse;
mod plan;
mod source;
mod template;
mod write;

use std::path::Path;

pub use batch::{load_batch, Batch, BatchJob};
pub use diagnostic::{Diagnostic, Diagnostics, Pos};
pub use parse::{check_duration, parse, parse_duration, Overrides, MAX_STEPS};
pub use plan::*;
pub use write::{Draft, FieldDraft, LoginDraft, MoveDraft, ServiceDraft};

/// A script larger than this is not a platform's script.
pub const MAX_SCRIPT_BYTES: u64 = 1024 * 1024;

/// Reads and checks a script file.
pub fn load(path: &Path, overrides: &Overrides, require_env: bool) -> Result<Plan, Diagnostics> {
    let bytes = read(path).map_err(|d| Diagnostics(vec![d]))?;
    match String::from_utf8(bytes) {
        Ok(src) => parse(path, &src, overrides, require_env),
        Err(e) => Err(Diagnostics(vec![not_utf8(
            path,
            e.as_bytes(),
            e.utf8_error(),
        )])),
    }
}

/// The file's bytes, or what stands in the way, said without a position (there is none).
fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |message: String, help: &str| Diagnostic {
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        width: 0,
        message,
        help: Some(help.into()),
        source_line: String::new(),
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => fail("no such file".into(), "check the path"),
        std::io::ErrorKind::PermissionDenied => fail(
            "cannot be read: permission denied".into(),
            "check the permissions of the file and its folders",
        ),
        _ => fail(format!("cannot be read: {e}"), "check the path"),
    })?;
    if meta.is_dir() {
        return Err(fail(
            "is a folder, not a script".into(),
            "give the .yaml file inside it",
        ));
    }
    if meta.len() > MAX_SCRIPT_BYTES {
        return Err(fail(
            format!(
                "is {} KB; a script is at most {} KB",
                meta.len() / 1024,
                MAX_SCRIPT_BYTES / 1024
            ),
            "check that this is the script you meant",
        ));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => fail(
            "cannot be read: permission denied".into(),
            "check the permissions of the file and its folders",
        ),
        _ => fail(format!("cannot be read: {e}"), "check the path"),
    })
}

/// Where the first byte that is not UTF-8 sits.
fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..e.valid_up_to()];
    let line = good.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    let text = String::from_utf8_lossy(bytes);
    let pos = Pos {
        line,
        col,
        width: 1,
    };
    Diagnostic::new(path, &text, pos, "this is not UTF-8 text")
        .help("save the script as UTF-8 (in most editors: Save with encoding → UTF-8)")
}
