//! `status --append DIR` and `recheck DIR`: the state read again, added to the folder of
//! the run it checks.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::run::shell_quote;
use super::ExpectState;
use crate::outcome::code;

/// `recheck DIR`: the script comes from the run's record.
pub(super) async fn recheck(dir: &Path, expect: Option<ExpectState>, common: &Common) -> i32 {
    let record = match crate::evidence::recheck::run_record(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "jieyue: {}: not the evidence folder of a run ({e}); give the folder a run wrote",
                dir.display()
            );
            return code::INVALID;
        }
    };
    let script = PathBuf::from(&record.script);
    if !script.is_file() {
        eprintln!(
            "jieyue: the run used the script {}, which is not here: run `jieyue status SCRIPT --append {}` from where the script is",
            script.display(),
            shell_quote(&dir.display().to_string())
        );
        return code::INVALID;
    }
    super::run::status(&script, expect, common, Some(dir)).await
}
