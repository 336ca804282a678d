//! `status --append DIR` and `recheck DIR`: the state read again, added to the folder of
//! the run it checks.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::run::shell_quote;
use super::ExpectState;
use crate::outcome::code;
use crate::said;

/// `recheck DIR`: the script comes from the run's record.
pub(super) async fn recheck(dir: &Path, expect: Option<ExpectState>, common: &Common) -> i32 {
    let record = match crate::evidence::recheck::run_record(dir) {
        Ok(r) => r,
        Err(e) => {
            let said = said!(
                "recheck.not_a_run",
                dir = dir.display().to_string(),
                problem = e.to_string()
            );
            eprintln!("jieyue: {}", said.here());
            return code::INVALID;
        }
    };
    let script = PathBuf::from(&record.script);
    if !script.is_file() {
        let said = said!(
            "recheck.no_script",
            script = script.display().to_string(),
            dir = shell_quote(&dir.display().to_string())
        );
        eprintln!("jieyue: {}", said.here());
        return code::INVALID;
    }
    super::run::status(&script, expect, common, Some(dir)).await
}
