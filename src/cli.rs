//! The command line: parse, dispatch, and map every outcome to an exit code.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use unicode_width::UnicodeWidthStr;

use crate::browser::{BrowserKind, LaunchOptions};
use crate::demo::{DemoServer, DEMO_PASSWORD};
use crate::evidence::{Outcome, Recorder, RunRecord};
use crate::locate::SwitchState;
use crate::runner::{self, RunOptions};
use crate::script::{self, Diagnostics, Overrides, Plan, Target};
use crate::secret::Secret;

/// Exit code: the script is invalid (or the evidence folder is not usable).
pub const EXIT_INVALID: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "jieyue",
    version,
    about = "解约 — turn auto-renewal off and cancel memberships in a real browser, with evidence",
    long_about = "jieyue (解约) logs in to a platform with your own credentials, finds the hidden cancel entry by keyword, turns auto-renewal off (never on), gets through the confirmation dialogs without clicking decoys (退款, 立即续费, 升级), and keeps screenshot evidence of every step.",
    after_help = "Examples:\n  jieyue demo                              try it on the embedded demo platform\n  jieyue validate scripts/*.yaml           check scripts, with line:col errors\n  jieyue locate scripts/my.yaml            dry-run: find every button, click nothing that mutates\n  jieyue run scripts/my.yaml               the real thing, headless (secrets from the environment)\n  jieyue status scripts/my.yaml --expect off   hours later: is renewal still off?\n  jieyue evidence verify evidence/…        nothing altered since the run?\n\nExit codes: 0 done / already off / dry-run found all, 2 script invalid,\n3 browser, driver or page error, 4 not found / expectation failed / nothing to cancel,\n5 a code or a person needed, 6 refused by the safety guard, 130 stopped by Ctrl-C."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
enum ExpectState {
    Off,
    On,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum DemoCarrier {
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
enum BrowserArg {
    #[default]
    Chromium,
    Firefox,
}

#[derive(Args, Clone, Debug, Default)]
struct Common {
    /// Set a script variable: --var name=value (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_pair)]
    vars: Vec<(String, String)>,
    /// Set a secret (redacted in every output): --secret name=value (repeatable).
    #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = parse_pair)]
    secrets: Vec<(String, String)>,
    /// Evidence folder (created; must be empty). Default: evidence/<script>/<timestamp>/.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
    /// Show the browser window.
    #[arg(long)]
    headed: bool,
    /// Attach to a running WebDriver server (chromedriver, Selenium Grid, Appium).
    #[arg(long, value_name = "URL")]
    webdriver: Option<String>,
    /// The driver binary to start (default: chromedriver / geckodriver on PATH).
    #[arg(long, value_name = "PATH")]
    driver: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = BrowserArg::Chromium)]
    browser: BrowserArg,
    /// Wait limit of each step (overrides the script's `timeout`), e.g. 15s.
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// A verification code you already have (repeatable: code steps take them in order).
    #[arg(long, value_name = "CODE")]
    code: Vec<String>,
    /// Keep the browser profile (cookies, local storage) under this name, so the next run
    /// skips the login. Kept in $JIEYUE_HOME/profiles/NAME (default
    /// ~/.local/share/jieyue/profiles), readable by you alone.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Import login cookies from a JSON file (the export of common browser extensions).
    #[arg(long, value_name = "FILE")]
    cookies: Option<PathBuf>,
    /// With --headed: log in yourself in the window (QR code, slider), then the run goes on
    /// (needs `logged_in:` in the script).
    #[arg(long)]
    pause_on_login: bool,
    /// Machine output: the run record as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    script::check_duration(s)
        .map_err(|problem| format!("`{s}`: {problem}; write 10s, 1500ms or 2m (100 ms to 10 min)"))
}

impl Common {
    fn overrides(&self) -> Overrides {
        Overrides {
            vars: self.vars.clone(),
            secrets: self
                .secrets
                .iter()
                .map(|(k, v)| (k.clone(), Secret::new(v.clone())))
                .collect(),
            timeout: self.timeout,
        }
    }

    /// The options of a run, after the checks that need no browser: a bad profile name, a
    /// cookie file that is not one, `--pause-on-login` without `logged_in`. Cookie values
    /// join the plan's secrets.
    fn run_options(
        &self,
        plan: &mut Plan,
        dry_run: bool,
        status: bool,
    ) -> Result<RunOptions, String> {
        let profile =
            match &self.profile {
                None => None,
                Some(_) if self.webdriver.is_some() => return Err(
                    "--profile keeps a profile on this machine; it cannot be used with --webdriver"
                        .into(),
                ),
                Some(name) => Some(crate::browser::profile::profile_dir(name)?),
            };
        let cookies = match &self.cookies {
            None => Vec::new(),
            Some(path) => crate::browser::cookies::load(path)?,
        };
        plan.secrets.extend(cookies.iter().map(|c| c.value.clone()));
        if self.pause_on_login && plan.logged_in.is_empty() {
            return Err(format!(
                "{}: --pause-on-login needs the script to say what a logged-in page shows: add `logged_in: {{ text: [\"退出登录\"] }}`",
                plan.source.display()
            ));
        }
        Ok(RunOptions {
            dry_run: dry_run || status,
            status,
            launch: LaunchOptions {
                kind: match self.browser {
                    BrowserArg::Chromium => BrowserKind::Chromium,
                    BrowserArg::Firefox => BrowserKind::Firefox,
                },
                driver: self.driver.clone(),
                webdriver: self.webdriver.clone(),
                headed: self.headed,
                mobile: plan.carrier.is_mobile(),
                mini_program: plan.carrier == script::Carrier::Mini,
                profile,
                step_limit: plan.timeout,
            },
            hooks: runner::Hooks {
                on_step: None,
                cancel: Some(stop_signal()),
            },
            code: self.code.clone(),
            pause_on_login: self.pause_on_login,
            cookies,
            progress: true,
        })
    }
}

/// Raised on the first Ctrl-C or SIGTERM: runs stop, close their browsers and keep their
/// evidence. A second Ctrl-C ends jieyue at once.
fn stop_signal() -> tokio::sync::watch::Receiver<bool> {
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
            eprintln!("\njieyue: stopping: closing the browser(s) and writing the evidence (Ctrl-C again to quit at once)");
            let _ = tx.send(true);
            let _ = tokio::signal::ctrl_c().await;
            crate::browser::kill_all_drivers();
            std::process::exit(130);
        });
        rx
    })
    .clone()
}

/// Runs the command line and returns the process exit code.
pub async fn main(cli: Cli) -> i32 {
    match cli.command {
        Command::Run {
            script,
            dry_run,
            common,
        } => run_script(&script, dry_run, &common).await,
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
                locate_html(&html, &target, commit, common.json)
            }
            (Some(script), None) => run_script(&script, true, &common).await,
            (None, None) => EXIT_INVALID,
        },
        Command::Status {
            script,
            expect,
            common,
        } => status(&script, expect, &common).await,
        Command::Evidence {
            command: EvidenceCommand::Verify { dir, json },
        } => verify(&dir, json),
        Command::Batch {
            file,
            jobs,
            dry_run,
            common,
        } => batch(&file, jobs, dry_run, &common).await,
        Command::Login {
            script,
            headless,
            mut common,
        } => {
            common.headed = !headless;
            login(&script, &common).await
        }
        Command::Validate { scripts } => validate(&scripts),
        Command::Demo { demo: opts, common } => demo(&opts, &common).await,
    }
}

/// `locate --html`: the engine's choice on a saved page, with no browser.
fn locate_html(path: &Path, target: &Target, commit: bool, json: bool) -> i32 {
    if target.is_empty() {
        eprintln!("jieyue: say what to look for: --text 关闭自动续费 (or --label, --css)");
        return EXIT_INVALID;
    }
    let html = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("jieyue: cannot read {}: {e}", path.display());
            return EXIT_INVALID;
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

fn print_diagnostics(d: &Diagnostics) {
    eprintln!("{d}");
    let n = d.0.len();
    eprintln!(
        "jieyue: the script is invalid ({n} problem{}); nothing was started",
        if n == 1 { "" } else { "s" }
    );
}

fn validate(paths: &[PathBuf]) -> i32 {
    let mut code = 0;
    for path in paths {
        match script::load(path, &Overrides::default(), false) {
            Ok(plan) => println!(
                "{}: ok ({}, {} steps)",
                path.display(),
                plan.name,
                plan.steps.len()
            ),
            Err(d) => {
                eprintln!("{d}");
                code = EXIT_INVALID;
            }
        }
    }
    code
}

/// The checked plan, or the diagnostics printed (then exit 2: nothing was started).
fn load_plan(path: &Path, common: &Common) -> Option<Plan> {
    match script::load(path, &common.overrides(), true) {
        Ok(plan) => Some(plan),
        Err(d) => {
            print_diagnostics(&d);
            None
        }
    }
}

/// The run's options, or the problem printed (then exit 2: nothing was started).
fn options(common: &Common, plan: &mut Plan, dry_run: bool, status: bool) -> Option<RunOptions> {
    common
        .run_options(plan, dry_run, status)
        .map_err(|e| eprintln!("jieyue: {e}"))
        .ok()
}

async fn run_script(path: &Path, dry_run: bool, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return EXIT_INVALID;
    };
    let Some(opts) = options(common, &mut plan, dry_run, false) else {
        return EXIT_INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    code
}

fn print_json(value: &impl serde::Serialize, plan: &Plan) {
    let json = serde_json::to_string_pretty(value).expect("a record serialises");
    println!("{}", plan.redactor().redact(&json));
}

/// Runs a checked plan with its evidence folder and prints the summary on stderr.
async fn execute(plan: &Plan, opts: RunOptions, common: &Common) -> (i32, Option<RunRecord>) {
    let dir = common
        .evidence
        .clone()
        .unwrap_or_else(|| runner::default_evidence_dir(plan));
    crate::secret::protect_logs(&plan.redactor());
    let mut recorder = match Recorder::create(&dir, plan.redactor()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jieyue: {e}");
            return (EXIT_INVALID, None);
        }
    };
    eprintln!(
        "jieyue: {} — {} ({}{})",
        plan.name,
        plan.source.display(),
        if opts.status {
            "status, read-only, "
        } else if opts.dry_run {
            "dry-run, "
        } else {
            ""
        },
        if common.headed { "headed" } else { "headless" }
    );
    let record = runner::run(plan, &opts, &mut recorder).await;
    let redactor = plan.redactor();
    eprintln!();
    // A failed step's line already said why; the summary says it once, not again.
    let said = record
        .steps
        .iter()
        .any(|s| s.message.as_deref() == Some(record.message.as_str()));
    if !said {
        eprintln!("{}", redactor.redact(&record.message));
    }
    match recorder.failure() {
        None => eprintln!(
            "evidence: {} (report.html, complaint.md; check it with `jieyue evidence verify {}`)",
            dir.display(),
            shell_quote(&dir.display().to_string())
        ),
        Some(problem) => eprintln!(
            "evidence: not complete — {} could not be written ({problem}); what was written before that is all there is",
            dir.display()
        ),
    }
    (record.exit_code, Some(record))
}

/// What `status` reports: one line per renewal switch the script reads.
#[derive(serde::Serialize)]
struct StatusReport {
    schema: &'static str,
    platform: String,
    account: Option<String>,
    checked_at: String,
    /// `on` when any service renews, `off` when all are off, else `unknown`.
    auto_renew: SwitchState,
    services: Vec<ServiceState>,
    exit_code: i32,
    message: String,
    evidence_dir: String,
}

#[derive(serde::Serialize)]
struct ServiceState {
    step: usize,
    target: String,
    auto_renew: SwitchState,
    evidence: Vec<String>,
}

async fn status(path: &Path, expect: Option<ExpectState>, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return EXIT_INVALID;
    };
    let Some(opts) = options(common, &mut plan, true, true) else {
        return EXIT_INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    let Some(record) = record else {
        return code;
    };
    let report = status_report(&record, expect);
    for s in &report.services {
        eprintln!(
            "auto-renew: {}  (step {}, {}; evidence: {})",
            s.auto_renew.as_str(),
            s.step,
            s.target,
            s.evidence.join(", ")
        );
    }
    if report.services.is_empty() {
        eprintln!("auto-renew: {}", report.auto_renew.as_str());
    }
    if report.exit_code != record.exit_code {
        eprintln!("{}", report.message);
    }
    if common.json {
        print_json(&report, &plan);
    }
    report.exit_code
}

fn status_report(record: &RunRecord, expect: Option<ExpectState>) -> StatusReport {
    let mut services: Vec<ServiceState> = record
        .steps
        .iter()
        .filter_map(|s| {
            let state = s.switch_before.or(s.switch_after)?;
            Some(ServiceState {
                step: s.number,
                target: s.target.clone(),
                auto_renew: s.switch_after.unwrap_or(state),
                evidence: s.files.clone(),
            })
        })
        .collect();
    let nothing = record.outcome == Outcome::NothingToCancel;
    if services.is_empty() && nothing {
        let last = record.steps.last();
        services.push(ServiceState {
            step: last.map(|s| s.number).unwrap_or(0),
            target: "no membership or renewal service (页面显示没有可取消的服务)".into(),
            auto_renew: SwitchState::Off,
            evidence: last.map(|s| s.files.clone()).unwrap_or_default(),
        });
    }
    let overall = if services.iter().any(|s| s.auto_renew == SwitchState::On) {
        SwitchState::On
    } else if !services.is_empty() && services.iter().all(|s| s.auto_renew == SwitchState::Off) {
        SwitchState::Off
    } else {
        SwitchState::Unknown
    };
    // Reading the state is the job: a page that says there is nothing to cancel answers it.
    let mut exit_code = if nothing { 0 } else { record.exit_code };
    let mut message = record.message.clone();
    if exit_code == 0 && overall == SwitchState::Unknown {
        exit_code = 4;
        message = "the renewal state could not be read: the script has no `switch_off` step, or its switch shows no state".into();
    }
    if let Some(want) = expect {
        let want = match want {
            ExpectState::Off => SwitchState::Off,
            ExpectState::On => SwitchState::On,
        };
        if overall != want && exit_code == 0 {
            exit_code = 4;
            message = format!(
                "auto-renew is {}, expected {} (自动续费状态与预期不符)",
                overall.as_str(),
                want.as_str()
            );
        } else if overall != want {
            message = format!("{message}; expected auto-renew {}", want.as_str());
        }
    }
    StatusReport {
        schema: "jieyue.status/1",
        platform: record.platform.clone(),
        account: record.account.clone(),
        checked_at: record.ended_at.clone().unwrap_or_default(),
        auto_renew: overall,
        services,
        exit_code,
        message,
        evidence_dir: record.evidence_dir.clone(),
    }
}

async fn login(path: &Path, common: &Common) -> i32 {
    let Some(mut plan) = load_plan(path, common) else {
        return EXIT_INVALID;
    };
    if common.profile.is_none() {
        eprintln!("jieyue: `login` keeps the session in a profile: add --profile NAME (e.g. --profile my-account)");
        return EXIT_INVALID;
    }
    if plan.login_steps == 0 {
        eprintln!(
            "jieyue: {}: the script does not say where its login part ends: add `logged_in: {{ text: [\"退出登录\"] }}` (words a logged-in page shows) and an `expect` step after the login steps",
            plan.source.display()
        );
        return EXIT_INVALID;
    }
    plan.steps.truncate(plan.login_steps);
    let Some(opts) = options(common, &mut plan, false, false) else {
        return EXIT_INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if code == 0 {
        if let Some(name) = &common.profile {
            eprintln!(
                "logged in; the session is saved in profile `{name}` ({}): run with --profile {name} to skip the login",
                crate::browser::profile::home().join("profiles").join(name).display()
            );
        }
    }
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    code
}

async fn batch(file: &Path, jobs: usize, dry_run: bool, common: &Common) -> i32 {
    let batch = match script::load_batch(file) {
        Ok(b) => b,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("jieyue: the batch file is invalid; nothing was started");
            return EXIT_INVALID;
        }
    };
    let root = common.evidence.clone().unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "batch".into());
        PathBuf::from("evidence")
            .join(format!("batch-{stem}"))
            .join(chrono::Local::now().format("%Y%m%d-%H%M%S").to_string())
    });
    // Every script is checked before any browser starts.
    let mut prepared = Vec::new();
    let mut invalid = false;
    for job in &batch.jobs {
        let mut overrides = common.overrides();
        overrides.vars.extend(job.vars.iter().cloned());
        overrides.secrets.extend(job.secrets.iter().cloned());
        let mut plan = match script::load(&job.script, &overrides, true) {
            Ok(p) => p,
            Err(d) => {
                eprintln!("job {}: {d}", job.number);
                invalid = true;
                continue;
            }
        };
        // The flags again, for one job (which may name its own profile).
        let mut job_common = Common {
            evidence: None,
            ..common.clone()
        };
        if job.profile.is_some() {
            job_common.profile = job.profile.clone();
        }
        let opts = match job_common.run_options(&mut plan, dry_run, false) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("job {}: {e}", job.number);
                invalid = true;
                continue;
            }
        };
        let label = job.name.clone().unwrap_or_else(|| plan.name.clone());
        let dir = root.join(format!("{:02}-{}", job.number, plan.slug()));
        prepared.push(runner::batch::Prepared {
            number: job.number,
            label,
            plan,
            opts,
            dir,
        });
    }
    if invalid {
        eprintln!("jieyue: the batch has invalid jobs; nothing was started");
        return EXIT_INVALID;
    }
    let total = prepared.len();
    eprintln!(
        "jieyue batch: {total} job(s), {jobs} at a time{}{}; evidence in {}",
        if dry_run { ", dry-run" } else { "" },
        common
            .webdriver
            .as_deref()
            .map(|w| format!(", through {w}"))
            .unwrap_or_default(),
        root.display()
    );
    let started = std::time::Instant::now();
    let (results, stopped) = runner::batch::run_all(prepared, jobs, Some(stop_signal())).await;
    let code = runner::batch::exit_code(&results, stopped);
    let secs = started.elapsed().as_secs_f64();
    eprintln!();
    // Chinese names are two columns wide: pad by display width, not by characters.
    let who: Vec<String> = results
        .iter()
        .map(|r| format!("{} · {}", r.label, r.account.as_deref().unwrap_or("-")))
        .collect();
    let width = who.iter().map(|w| w.width()).max().unwrap_or(0).max(18);
    let pad = |text: &str| format!("{text}{}", " ".repeat(width - text.width()));
    eprintln!(
        "{:>3}  {:<18} {:>4} {:>7}  {}  evidence",
        "job",
        "outcome",
        "exit",
        "time",
        pad("platform · account")
    );
    for (r, who) in results.iter().zip(&who) {
        let outcome = r
            .outcome
            .map(|o| {
                serde_json::to_value(o)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| "not started".into());
        eprintln!(
            "{:>3}  {:<18} {:>4} {:>6.1}s  {}  {}",
            r.number,
            outcome,
            r.exit_code,
            r.seconds,
            pad(who),
            r.evidence_dir
        );
    }
    let ok = results.iter().filter(|r| r.succeeded()).count();
    eprintln!(
        "\n{ok} of {total} succeeded in {secs:.1} s ({:.1} jobs/min){}; exit code {code}",
        total as f64 * 60.0 / secs.max(0.001),
        if stopped {
            "; stopped by Ctrl-C/SIGTERM"
        } else {
            ""
        }
    );
    if common.json {
        let json = serde_json::json!({
            "schema": "jieyue.batch/1",
            "file": file.display().to_string(),
            "jobs": results,
            "succeeded": ok,
            "failed": total - ok,
            "stopped": stopped,
            "seconds": secs,
            "exit_code": code,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("a batch summary serialises")
        );
    }
    code
}

fn verify(dir: &Path, json: bool) -> i32 {
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
                    0
                }
                Some(problem) => {
                    eprintln!("evidence NOT intact: {problem}");
                    1
                }
            }
        }
        Err(e) => {
            eprintln!("jieyue: {e}");
            EXIT_INVALID
        }
    }
}

#[derive(Args, Debug)]
struct DemoOptions {
    #[arg(long, value_enum, default_value_t = DemoCarrier::Web)]
    carrier: DemoCarrier,
    /// Only serve the demo platform, to try scripts by hand.
    #[arg(long)]
    serve: bool,
    /// Port for --serve (default: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The demo account: demo (renewal on), renewed-off, no-member.
    #[arg(long, default_value = "demo")]
    user: String,
    /// The demo accounts' password (default jieyue-demo-2026): try how a secret of your
    /// own is kept out of every output.
    #[arg(long, value_name = "PASSWORD")]
    password: Option<String>,
    #[arg(long)]
    dry_run: bool,
}

async fn demo(o: &DemoOptions, common: &Common) -> i32 {
    let DemoOptions {
        carrier,
        serve,
        port,
        ref user,
        ref password,
        dry_run,
    } = *o;
    let server = match DemoServer::start(port).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jieyue: cannot start the demo platform on 127.0.0.1:{port}: {e}");
            return 3;
        }
    };
    if let Some(p) = password {
        server.set_password(p);
    }
    let password = password
        .clone()
        .unwrap_or_else(|| DEMO_PASSWORD.to_string());
    let base = server.base_url();
    if serve {
        eprintln!("demo platform at {base}: 网页端 {base}/login · 移动端 {base}/h5/login · 小程序 {base}/mini/login");
        eprintln!("demo phone (SMS codes): {base}/__demo/phone?user=demo");
        eprintln!(
            "accounts: demo (auto-renew on), renewed-off (already off), no-member (nothing to cancel); password {}",
            if o.password.is_some() { "as given with --password" } else { DEMO_PASSWORD }
        );
        eprintln!("audit: {base}/__demo/audit?user=demo   reset: {base}/__demo/reset");
        eprintln!("press Ctrl-C to stop");
        let _ = tokio::signal::ctrl_c().await;
        return 0;
    }
    let (name, source) = match carrier {
        DemoCarrier::Web => ("scripts/demo-web.yaml", crate::demo::SCRIPT_WEB),
        DemoCarrier::H5 => ("scripts/demo-h5.yaml", crate::demo::SCRIPT_H5),
        DemoCarrier::Mini => ("scripts/demo-mini.yaml", crate::demo::SCRIPT_MINI),
        DemoCarrier::H5Sms => ("scripts/demo-h5-sms.yaml", crate::demo::SCRIPT_H5_SMS),
        DemoCarrier::MiniQr => ("scripts/demo-mini-qr.yaml", crate::demo::SCRIPT_MINI_QR),
    };
    match carrier {
        DemoCarrier::H5Sms => eprintln!(
            "this login needs you: read the captcha from the picture jieyue shows, and the SMS code from the demo phone {base}/__demo/phone?user=13812345678"
        ),
        DemoCarrier::MiniQr => eprintln!(
            "this login needs you: open {base}/__demo/qr/confirm?user={user} (the demo phone scanning the QR code)"
        ),
        _ => {}
    }
    let mut overrides = common.overrides();
    overrides.vars.push(("base_url".into(), base.clone()));
    overrides.vars.push(("username".into(), user.to_string()));
    // The SMS login knows accounts by phone number.
    let phone = if user == "demo" { "13812345678" } else { user };
    overrides.vars.push(("phone".into(), phone.to_string()));
    if !overrides.secrets.iter().any(|(k, _)| k == "password") {
        overrides
            .secrets
            .push(("password".into(), Secret::new(password)));
    }
    let mut plan = match script::parse(Path::new(name), source, &overrides, true) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return EXIT_INVALID;
        }
    };
    eprintln!("demo platform (演示卡盟) serving at {base} (127.0.0.1 only)");
    let Some(opts) = options(common, &mut plan, dry_run, false) else {
        return EXIT_INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    if let Some(audit) = server.audit(user) {
        eprintln!(
            "demo platform audit for `{user}`: auto-renew {}, {} change(s), {} decoy click(s), {} refund request(s)",
            if audit.auto_renew { "ON" } else { "off" },
            audit.mutations.len(),
            audit.decoy_clicks.len(),
            audit.refund_requests
        );
    }
    code
}

/// A path as a shell word: quoted when it holds anything a shell would split or expand.
fn shell_quote(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}
