//! Platform scripts: YAML text → a validated [`Plan`]. The only module that knows YAML.

mod batch;
mod diagnostic;
mod parse;
mod plan;
mod source;
mod template;
mod write;

use std::path::Path;

use crate::said;
use crate::said::Said;

pub use batch::{load_batch, Batch, BatchJob};
pub use diagnostic::{Diagnostic, Diagnostics, Pos};
pub use parse::{check_duration, parse, parse_duration, Overrides, MAX_STEPS};
pub use plan::*;
pub use write::{Draft, FieldDraft, LoginDraft, MoveDraft, ServiceDraft};

/// A script larger than this is not a platform's script.
pub const MAX_SCRIPT_BYTES: u64 = 1024 * 1024;

/// Reads and checks a script file.
pub fn load(path: &Path, overrides: &Overrides, require_env: bool) -> Result<Plan, Diagnostics> {
    let bytes = read(path)?;
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
fn read(path: &Path) -> Result<Vec<u8>, Diagnostics> {
    let fail = |message: Said, help: Said| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            width: 0,
            message,
            help: Some(help),
            source_line: String::new(),
        }])
    };
    // The system's own words for the error stay as they are, inside the catalogue's.
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::PermissionDenied => fail(
            said!("script.permission_denied"),
            said!("script.check_permissions"),
        ),
        _ => fail(
            said!("script.cannot_read", problem = e.to_string()),
            said!("script.check_path"),
        ),
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            fail(said!("script.no_such_file"), said!("script.check_path"))
        }
        _ => unreadable(e),
    })?;
    if meta.is_dir() {
        return Err(fail(
            said!("script.is_folder"),
            said!("script.is_folder_help"),
        ));
    }
    if meta.len() > MAX_SCRIPT_BYTES {
        return Err(fail(
            said!(
                "script.too_big",
                size = meta.len() / 1024,
                max = MAX_SCRIPT_BYTES / 1024
            ),
            said!("script.too_big_help"),
        ));
    }
    std::fs::read(path).map_err(unreadable)
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
    Diagnostic::new(path, &text, pos, said!("script.not_utf8")).help(said!("script.not_utf8_help"))
}
