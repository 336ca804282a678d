//! `locate --html`: the engine's choice on a saved page, with no browser.

use std::path::Path;

use crate::outcome::code;
use crate::script::Target;

/// Explains what the engine would pick for `target` on the saved page at `path`.
pub(super) fn locate_html(path: &Path, target: &Target, commit: bool, json: bool) -> i32 {
    if target.is_empty() {
        eprintln!("jieyue: say what to look for: --text 关闭自动续费 (or --label, --css)");
        return code::INVALID;
    }
    let html = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("jieyue: cannot read {}: {e}", path.display());
            return code::INVALID;
        }
    };
    let selectors = crate::locate::score::selectors_for([target]);
    let url = format!("file://{}", path.display());
    let snapshot = crate::locate::html::snapshot_from_html(&html, &url, &selectors);
    let explanation = crate::locate::explain::explain(&snapshot, target, commit);
    eprint!("{explanation}");
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&explanation).expect("an explanation serialises")
        );
    }
    explanation.verdict.exit_code()
}
