//! `doctor`: what a run needs on this machine, each with the command that fixes it.

use crate::browser::doctor::{basic_ok, checks};
use crate::outcome::code;
use crate::said;

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
            let head = if c.basic {
                said!("doctor.basic")
            } else {
                said!("doctor.optional")
            };
            eprintln!("{}", head.here());
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
            eprintln!("      {}", said!("doctor.fix", fix = fix).here());
        }
    }
    eprintln!();
    if ok {
        eprintln!("{}", said!("doctor.ok").here());
        code::OK
    } else {
        eprintln!("{}", said!("doctor.not_ok").here());
        code::BROWSER
    }
}
