//! `explore`: no script for the platform yet. Explore it once, write the script, dry-run it.

use std::path::{Path, PathBuf};

use super::args::Common;
use super::run::{execute, options, print_diagnostics, shell_quote};
use crate::outcome::code;
use crate::runner::explore::{self, Exploration, Request};
use crate::said;
use crate::script::{self, Carrier, Overrides, Plan};
use crate::secret::Secret;

/// What `explore` was asked.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct ExploreArgs {
    /// The platform's home or login page.
    pub url: String,
    /// web, h5 (phone pages) or mini (mini-program pages).
    #[arg(long, default_value = "web")]
    pub carrier: String,
    /// The account to log in with (default: $JIEYUE_USER). The password comes from
    /// `--secret password=…` or $JIEYUE_PASSWORD.
    #[arg(long, value_name = "ACCOUNT")]
    pub user: Option<String>,
    /// Where to write the script (never over an existing file). Default:
    /// jieyue-HOST-CARRIER.yaml in the current folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How many page states to look at, at most.
    #[arg(long, default_value_t = 40)]
    pub max_clicks: usize,
    /// Where several memberships are found: the one to write the script for.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
}

pub(super) async fn explore(args: &ExploreArgs, common: &Common) -> i32 {
    let Some((mut plan, out)) = plan_of(args, common) else {
        return code::INVALID;
    };
    let Some(opts) = options(common, &mut plan, true, false) else {
        return code::INVALID;
    };
    let dir = common.evidence.clone().unwrap_or_else(|| {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
        PathBuf::from("evidence")
            .join(plan.slug())
            .join(format!("explore-{stamp}"))
    });
    let mut recorder = match crate::runner::folder::open(&plan, &dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jieyue: {e}");
            return code::INVALID;
        }
    };
    let window = if common.headed {
        said!("run.mode.headed")
    } else {
        said!("run.mode.headless")
    };
    eprintln!(
        "jieyue: {}",
        said!(
            "explore.head",
            url = &plan.start,
            carrier = plan.carrier.as_str(),
            window = window
        )
        .here()
    );
    let request = Request {
        account: args
            .user
            .clone()
            .or_else(|| std::env::var("JIEYUE_USER").ok()),
        max_visits: args.max_clicks.max(1),
        service: args.service.clone(),
    };
    let seen = explore::explore(&plan, &opts, &request, &mut recorder).await;
    report(&seen, &dir);
    let record = &seen.record;
    let stamp = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    let Some(draft) = seen
        .draft(&plan, &stamp)
        .filter(|_| record.exit_code == code::OK)
    else {
        if common.json {
            print_json(&seen, None, None, &dir, &plan);
        }
        return record.exit_code;
    };
    let (text, _) = match draft.checked(&out) {
        Ok(checked) => checked,
        Err(d) => {
            // The writer's own mistake: say it plainly, with the text that failed.
            print_diagnostics(&d);
            return code::INVALID;
        }
    };
    if let Err(e) = write_new(&out, &text) {
        eprintln!("jieyue: cannot write {}: {e}", out.display());
        return code::INVALID;
    }
    eprintln!("{}", rust_i18n::t!("explore.written", file = out.display()));
    // The script as `run` will read it, dry-run now: proof that it finds its way.
    let mut dry = common.clone();
    dry.evidence = Some(PathBuf::from(format!("{}-dry-run", dir.display())));
    dry.vars.extend(
        request
            .account
            .iter()
            .map(|a| ("username".to_string(), a.clone())),
    );
    if let Some(p) = plan.secrets.first() {
        dry.secrets.retain(|(k, _)| k != "password");
        dry.secrets
            .push(("password".to_string(), p.expose().to_string()));
    }
    eprintln!("\njieyue: {}", said!("explore.dry_run").here());
    let dry_exit = match script::load(&out, &dry.overrides(), false) {
        Ok(mut written) => match options(&dry, &mut written, true, false) {
            Some(opts) => execute(&written, opts, &dry).await.0,
            None => code::INVALID,
        },
        Err(d) => {
            print_diagnostics(&d);
            code::INVALID
        }
    };
    let file = shell_quote(&out.display().to_string());
    let env = if seen.login.as_ref().is_some_and(|l| !l.by_person) {
        "JIEYUE_USER=… JIEYUE_PASSWORD=… "
    } else {
        ""
    };
    eprintln!(
        "\n{}",
        rust_i18n::t!("explore.next", env = env, file = file)
    );
    if common.json {
        print_json(&seen, Some(&out), Some(dry_exit), &dir, &plan);
    }
    dry_exit
}

/// The plan of the exploration (the start page, the carrier, the password as a secret) and
/// the script's path: found wrong before a browser starts.
fn plan_of(args: &ExploreArgs, common: &Common) -> Option<(Plan, PathBuf)> {
    let fail = |m: String| {
        eprintln!("jieyue: {m}");
        None
    };
    let url = match url::Url::parse(&args.url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        _ => return fail(said!("explore.bad_url", url = &args.url).here()),
    };
    let Some(carrier) = Carrier::parse(&args.carrier) else {
        return fail(said!("explore.bad_carrier", carrier = &args.carrier).here());
    };
    let host = url
        .host_str()
        .unwrap_or("platform")
        .replace(['.', ':'], "-");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("jieyue-{host}-{}.yaml", carrier.as_str())));
    if out.exists() {
        return fail(said!("explore.exists", file = out.display().to_string()).here());
    }
    let password = common
        .secrets
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .or_else(|| std::env::var("JIEYUE_PASSWORD").ok());
    let overrides = Overrides {
        timeout: common.timeout,
        ..Overrides::default()
    };
    let plan = Plan {
        source: out.clone(),
        name: format!(
            "{}（{}）",
            url.host_str().unwrap_or_default(),
            carrier.as_str()
        ),
        carrier,
        start: url.to_string(),
        timeout: overrides
            .timeout
            .unwrap_or(std::time::Duration::from_secs(10)),
        steps: Vec::new(),
        account: args.user.clone(),
        secrets: password.map(Secret::new).into_iter().collect(),
        // What `--pause-on-login` waits for is the login form going away; these words only
        // satisfy its check that a logged-in page can be recognised.
        logged_in: crate::locate::survey::LOGGED_IN_WORDS
            .iter()
            .map(|w| w.to_string())
            .collect(),
        login_steps: 0,
    };
    Some((plan, out))
}

/// A new file, never over an existing one.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// What was seen, for a person.
fn report(seen: &Exploration, dir: &Path) {
    eprintln!();
    for m in &seen.found {
        let control = m
            .control
            .as_ref()
            .map(|c| {
                said!(
                    "explore.control",
                    label = c.visible_label(),
                    at = c.location()
                )
            })
            .unwrap_or_else(|| said::Said::from(""));
        let line = said!(
            "explore.found_line",
            words = format!("{:<28}", m.keywords().join(" / ")),
            state = format!("{:<7}", m.state.as_str()),
            control = control
        );
        eprintln!("  {}", line.here());
    }
    eprintln!(
        "{}",
        seen.record.said.as_deref().unwrap_or(&seen.record.message)
    );
    eprintln!(
        "{}",
        rust_i18n::t!(
            "explore.effort",
            states = seen.visited.len(),
            moves = seen.moves,
            secs = format!("{:.1}", seen.elapsed.as_secs_f64()),
            dir = dir.display()
        )
    );
}

fn print_json(
    seen: &Exploration,
    script: Option<&Path>,
    dry_exit: Option<i32>,
    dir: &Path,
    plan: &Plan,
) {
    let value = serde_json::json!({
        "outcome": seen.record.outcome,
        "exit_code": dry_exit.unwrap_or(seen.record.exit_code),
        "message": seen.record.message,
        "script": script.map(|p| p.display().to_string()),
        "dry_run_exit_code": dry_exit,
        "found": seen.found.iter().map(|m| serde_json::json!({
            "keywords": m.keywords(),
            "state": m.state,
            "read_from": m.read_from,
        })).collect::<Vec<_>>(),
        "path": seen.path.iter().map(|h| h.label.clone()).collect::<Vec<_>>(),
        "pages": seen.visited.iter().map(|(p, u)| serde_json::json!({"path": p, "url": u})).collect::<Vec<_>>(),
        "moves": seen.moves,
        "elapsed_ms": seen.elapsed.as_millis() as u64,
        "evidence": dir.display().to_string(),
    });
    let json = serde_json::to_string_pretty(&value).expect("json serialises");
    println!("{}", plan.redactor().redact(&json));
}
