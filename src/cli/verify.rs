//! `evidence verify`: is every file of an evidence folder as the run wrote it?

use std::path::Path;

use crate::outcome::code;

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
                    eprintln!(
                        "evidence intact: {} files, {} bytes; chain head {}",
                        v.files,
                        v.bytes,
                        v.chain_head.as_deref().unwrap_or("(empty)")
                    );
                    if v.interrupted_writes > 0 {
                        eprintln!(
                            "note: {} temporary file(s) left by an interrupted write; they are not evidence",
                            v.interrupted_writes
                        );
                    }
                    code::OK
                }
                Some(problem) => {
                    eprintln!("evidence NOT intact: {problem}");
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
