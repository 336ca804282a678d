//! Platform scripts: YAML text → a validated [`Plan`]. The only module that knows YAML.

mod batch;
mod diagnostic;
mod parse;
mod plan;
mod source;
mod template;

use std::path::Path;

pub use batch::{load_batch, Batch, BatchJob};
pub use diagnostic::{Diagnostic, Diagnostics, Pos};
pub use parse::{parse, parse_duration, Overrides};
pub use plan::*;

/// Reads and checks a script file.
pub fn load(path: &Path, overrides: &Overrides, require_env: bool) -> Result<Plan, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(src) => parse(path, &src, overrides, require_env),
        Err(e) => Err(Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            width: 0,
            message: format!("cannot read the script: {e}"),
            help: Some("check the path".into()),
            source_line: String::new(),
        }])),
    }
}
