//! `evidence verify`: is every file of an evidence folder as the run wrote it?

use std::path::Path;

use crate::outcome::code;
use crate::said;

pub(super) fn verify(dir: &Path, json: bool) -> i32 {
    match crate::evidence::verify::verify(dir) {
        Ok(v) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&v).expect("a verification serialises")
                );
            }
            match &v.problem {
                None => {
                    let said = said!(
                        "verify.intact",
                        files = v.files,
                        bytes = v.bytes,
                        head = v.chain_head.as_deref().unwrap_or("(empty)")
                    );
                    eprintln!("{}", said.here());
                    if v.interrupted_writes > 0 {
                        let said = said!("verify.temporary", n = v.interrupted_writes);
                        eprintln!("{}", said.here());
                    }
                    code::OK
                }
                Some(problem) => {
                    let said = said!("verify.altered", problem = problem.to_string());
                    eprintln!("{}", said.here());
                    code::ALTERED
                }
            }
        }
        Err(e) => {
            eprintln!("jieyue: {e}");
            code::INVALID
        }
    }
}
