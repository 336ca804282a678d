//! `doctor`: what a run needs on this machine, each with the command that fixes it.

use crate::browser::doctor::{basic_ok, checks};
use crate::outcome::code;

pub(super) fn doctor(json: bool) -> i32 {
    let checks = checks();
    let ok = basic_ok(&checks);
    if json {
        let value = serde_json::json!({ "ok": ok, "checks": checks });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("json serialises")
        );
    }
    let mut section = None;
    for c in &checks {
        if section != Some(c.basic) {
            section = Some(c.basic);
            eprintln!(
                "{}",
                if c.basic {
                    "what every run needs · 基本"
                } else {
                    "\nfor some runs only · 可选"
                }
            );
        }
        let mark = if c.ok {
            "ok "
        } else if c.basic {
            "NO "
        } else {
            "-- "
        };
        eprintln!("  {mark} {:<48} {}", c.name, c.found);
        if let Some(fix) = &c.fix {
            eprintln!("      fix: {fix}");
        }
    }
    eprintln!();
    if ok {
        eprintln!("jieyue can run here (基本条件齐全): try `jieyue demo`");
        code::OK
    } else {
        eprintln!("jieyue cannot run here yet (缺少基本条件): run the fixes above, then `jieyue doctor` again");
        code::BROWSER
    }
}
