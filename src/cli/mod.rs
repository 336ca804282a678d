//! The command line: parse the arguments, dispatch to one file per command, and show the
//! results. What a command decides (a run, a status verdict, a batch) lives next to the
//! runner; what it shows lives here. Exit codes come from `crate::outcome::code`.

mod args;
mod batch;
mod demo;
mod doctor;
mod explore;
mod help;
mod locate;
mod recheck;
mod run;
mod say;
mod verify;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::outcome::code;
use crate::script::Target;
use args::Common;
use demo::DemoOptions;
pub use help::parse;

#[derive(Parser, Debug)]
#[command(
    name = "jieyue",
    version,
    about = "解约 — turn auto-renewal off and cancel memberships in a real browser, with evidence",
    long_about = "jieyue (解约) logs in to a platform with your own credentials, finds the hidden cancel entry by keyword, turns auto-renewal off (never on), gets through the confirmation dialogs without clicking decoys (退款, 立即续费, 升级), and keeps screenshot evidence of every step.",
    after_help = "Examples:\n  jieyue demo                              try it on the embedded demo platform\n  jieyue validate scripts/*.yaml           check scripts, with line:col errors\n  jieyue locate scripts/my.yaml            dry-run: find every button, click nothing that mutates\n  jieyue explore https://vip.example.com/  no script yet: find the way out, write one\n  jieyue run scripts/my.yaml               the real thing, headless (secrets from the environment)\n  jieyue status scripts/my.yaml --expect off   hours later: is renewal still off?\n  jieyue evidence verify evidence/…        nothing altered since the run?\n\nExit codes: 0 done / already off / dry-run found all, 2 script invalid,\n3 browser, driver or page error, 4 not found / expectation failed / nothing to cancel,\n5 a code or a person needed, 6 refused by the safety guard, 130 stopped by Ctrl-C."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of what you read in the terminal (default: from LC_ALL / LANG; zh_* is
    /// 中文). `--json` and exit codes do not change with it.
    #[arg(long, global = true, value_enum)]
    lang: Option<say::Lang>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a platform script: turn auto-renew off, keep evidence.
    Run {
        script: PathBuf,
        /// Find every target and read switch states, but click nothing that mutates.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Dry-run a script (same as `run --dry-run`): show where each button is. With --html,
    /// explain what the engine would pick on a saved page, without a browser.
    Locate {
        #[arg(required_unless_present = "html")]
        script: Option<PathBuf>,
        /// A saved page (File → Save as… in a browser) to explain a choice on.
        #[arg(long, value_name = "FILE", conflicts_with = "script")]
        html: Option<PathBuf>,
        /// Words of the element, as a script's `text:` (repeatable).
        #[arg(long = "text", value_name = "WORDS", requires = "html")]
        text: Vec<String>,
        /// Words of a field's label, as a script's `label:` (repeatable).
        #[arg(long = "label", value_name = "WORDS", requires = "html")]
        label: Vec<String>,
        /// A css selector, as a script's `css:`.
        #[arg(long, value_name = "SELECTOR", requires = "html")]
        css: Option<String>,
        /// Explain it as the target of a commit step (the guard's verdict included).
        #[arg(long, requires = "html")]
        commit: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Read-only: is auto-renew on or off now? Prints `auto-renew: on|off|unknown` with the
    /// evidence; clicks nothing that mutates. For a re-check hours later (platforms lag).
    Status {
        script: PathBuf,
        /// Exit 4 when the state is not this (`--expect off` in cron: alert when renewal is
        /// back on, or cannot be read).
        #[arg(long, value_enum, value_name = "STATE")]
        expect: Option<ExpectState>,
        /// Add this re-check to the evidence folder of the run it checks (its manifest chain
        /// goes on; complaint.md and report.html get a 复查 line).
        #[arg(long, value_name = "DIR", conflicts_with = "evidence")]
        append: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Read the state again and add it to a run's evidence folder (the script comes from
    /// the folder's run.json): `status SCRIPT --append DIR` without naming the script.
    /// For cron, two hours after the run.
    Recheck {
        dir: PathBuf,
        /// Exit 4 when the state is not this.
        #[arg(long, value_enum, value_name = "STATE")]
        expect: Option<ExpectState>,
        #[command(flatten)]
        common: Common,
    },
    /// Log in once and keep the session: runs only the script's login part (through its
    /// first `expect`/`pause`), in a browser window, for you to finish (QR code, slider,
    /// codes). Later runs with the same --profile skip the login.
    Login {
        script: PathBuf,
        /// Without a window (the login steps must then need no person).
        #[arg(long)]
        headless: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Run many scripts / accounts from a batch file, N at a time (one browser each).
    /// Exit 0 when every job succeeded; otherwise the highest job exit code (130: stopped).
    Batch {
        file: PathBuf,
        /// How many jobs run at once.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Evidence folders: check that nothing was altered, removed or added.
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// Check scripts without a browser; prints `file:line:col: message`.
    Validate {
        #[arg(required = true)]
        scripts: Vec<PathBuf>,
    },
    /// No script for your platform? Log in, search its menus for the renewal setting, read
    /// its state (changing nothing), write a script that `run` can use, and dry-run it.
    Explore {
        #[command(flatten)]
        args: explore::ExploreArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Check what a run needs on this machine (Chromium and chromedriver of one version, a
    /// CJK font, the saved-session folder; Firefox, Grid and Appium for some runs), each
    /// with the command that fixes it. Exit 0 when the basic set works.
    Doctor {
        /// One JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Run the bundled demo script against the embedded demo platform.
    Demo {
        #[command(flatten)]
        demo: DemoOptions,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand, Debug)]
enum EvidenceCommand {
    /// Hash every file again and walk the manifest chain. Exit 0: intact; 1: a file was
    /// altered, removed or added (the first one is named); 2: no readable manifest.
    Verify {
        dir: PathBuf,
        /// One JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExpectState {
    Off,
    On,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(crate) enum DemoCarrier {
    /// 网页端: the desktop card platform.
    Web,
    /// 移动端 H5: phone pages with a bottom tab bar.
    H5,
    /// 小程序: mini-program pages.
    Mini,
    /// 移动端, logging in by SMS: an image captcha and an SMS code from you.
    H5Sms,
    /// 小程序, logging in by QR code: you (or the demo phone) scan it.
    MiniQr,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default)]
pub(crate) enum BrowserArg {
    #[default]
    Chromium,
    Firefox,
}

/// Runs the command line and returns the process exit code.
pub async fn main(cli: Cli) -> i32 {
    say::choose(cli.lang);
    match cli.command {
        Command::Run {
            script,
            dry_run,
            common,
        } => run::run_script(&script, dry_run, &common).await,
        Command::Locate {
            script,
            html,
            text,
            label,
            css,
            commit,
            common,
        } => match (script, html) {
            (_, Some(html)) => {
                let target = Target {
                    css,
                    text,
                    label,
                    ..Target::default()
                };
                locate::locate_html(&html, &target, commit, common.json)
            }
            (Some(script), None) => run::run_script(&script, true, &common).await,
            (None, None) => code::INVALID,
        },
        Command::Status {
            script,
            expect,
            append,
            common,
        } => run::status(&script, expect, &common, append.as_deref()).await,
        Command::Recheck {
            dir,
            expect,
            common,
        } => recheck::recheck(&dir, expect, &common).await,
        Command::Evidence {
            command: EvidenceCommand::Verify { dir, json },
        } => verify::verify(&dir, json),
        Command::Batch {
            file,
            jobs,
            dry_run,
            common,
        } => batch::batch(&file, jobs, dry_run, &common).await,
        Command::Login {
            script,
            headless,
            mut common,
        } => {
            common.headed = !headless;
            run::login(&script, &common).await
        }
        Command::Validate { scripts } => run::validate(&scripts),
        Command::Demo { demo: opts, common } => demo::demo(&opts, &common).await,
        Command::Explore { args, common } => explore::explore(&args, &common).await,
        Command::Doctor { json } => doctor::doctor(json),
    }
}

/// Raised on the first Ctrl-C or SIGTERM: runs stop, close their browsers and keep their
/// evidence. A second Ctrl-C ends jieyue at once.
pub(crate) fn stop_signal() -> tokio::sync::watch::Receiver<bool> {
    static STOP: std::sync::OnceLock<tokio::sync::watch::Receiver<bool>> =
        std::sync::OnceLock::new();
    STOP.get_or_init(|| {
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let term = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term => {}
            }
            eprintln!("\njieyue: {}", crate::said!("run.stopping").here());
            let _ = tx.send(true);
            let _ = tokio::signal::ctrl_c().await;
            crate::browser::kill_all_drivers();
            std::process::exit(code::INTERRUPTED);
        });
        rx
    })
    .clone()
}
