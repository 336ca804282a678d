//! The command line: parse, dispatch, and map every outcome to an exit code.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::browser::{BrowserKind, LaunchOptions};
use crate::demo::{DemoServer, DEMO_PASSWORD};
use crate::evidence::{EvidenceError, Recorder, RunRecord};
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
    after_help = "Examples:\n  jieyue demo                                    try it on the embedded demo platform\n  jieyue validate scripts/*.yaml                 check scripts, with line:col errors\n  jieyue locate scripts/my.yaml                  dry-run: find every button, click nothing that mutates\n  JIEYUE_PASSWORD=… jieyue run scripts/my.yaml   the real thing, headless\n\nExit codes: 0 done (or already off; dry-run: all found), 2 script invalid, 3 browser/driver/page error,\n4 target not found or expectation failed, 5 verification code needed, 6 refused by the safety guard."
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
    /// Check scripts without a browser; prints `file:line:col: message`.
    Validate {
        #[arg(required = true)]
        scripts: Vec<PathBuf>,
    },
    /// Run the bundled demo script against the embedded demo platform.
    Demo {
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
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum DemoCarrier {
    /// 网页端: the desktop card platform.
    Web,
    /// 移动端 H5: phone pages with a bottom tab bar.
    H5,
    /// 小程序: mini-program pages.
    Mini,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default)]
enum BrowserArg {
    #[default]
    Chromium,
    Firefox,
}

#[derive(Args, Debug, Default)]
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
    /// The verification code, when you already have it.
    #[arg(long, value_name = "CODE")]
    code: Option<String>,
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
    script::parse_duration(s)
        .ok_or_else(|| format!("`{s}` is not a duration: write 10s, 1500ms or 2m"))
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

    fn run_options(&self, plan: &Plan, dry_run: bool) -> RunOptions {
        RunOptions {
            dry_run,
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
            },
            code: self.code.clone(),
            progress: true,
        }
    }
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
        Command::Validate { scripts } => validate(&scripts),
        Command::Demo {
            carrier,
            serve,
            port,
            user,
            dry_run,
            common,
        } => demo(carrier, serve, port, &user, dry_run, &common).await,
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

async fn run_script(path: &Path, dry_run: bool, common: &Common) -> i32 {
    let plan = match script::load(path, &common.overrides(), true) {
        Ok(plan) => plan,
        Err(d) => {
            print_diagnostics(&d);
            return EXIT_INVALID;
        }
    };
    execute(&plan, dry_run, common).await.0
}

/// Runs a checked plan with its evidence folder; prints the summary (and JSON on request).
async fn execute(plan: &Plan, dry_run: bool, common: &Common) -> (i32, Option<RunRecord>) {
    let dir = common
        .evidence
        .clone()
        .unwrap_or_else(|| runner::default_evidence_dir(plan));
    let mut recorder = match Recorder::create(&dir, plan.redactor()) {
        Ok(r) => r,
        Err(e @ EvidenceError::NotEmpty(_)) => {
            eprintln!("jieyue: {e}");
            return (EXIT_INVALID, None);
        }
        Err(e) => {
            eprintln!("jieyue: {e}");
            return (EXIT_INVALID, None);
        }
    };
    let opts = common.run_options(plan, dry_run);
    eprintln!(
        "jieyue: {} — {} ({}{})",
        plan.name,
        plan.source.display(),
        if dry_run { "dry-run, " } else { "" },
        if common.headed { "headed" } else { "headless" }
    );
    let record = runner::run(plan, &opts, &mut recorder).await;
    let redactor = plan.redactor();
    eprintln!();
    eprintln!("{}", redactor.redact(&record.message));
    eprintln!("evidence: {}", dir.display());
    if common.json {
        let json = serde_json::to_string_pretty(&record).expect("a run record serialises");
        println!("{}", redactor.redact(&json));
    }
    (record.exit_code, Some(record))
}

async fn demo(
    carrier: DemoCarrier,
    serve: bool,
    port: u16,
    user: &str,
    dry_run: bool,
    common: &Common,
) -> i32 {
    let server = match DemoServer::start(port).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jieyue: cannot start the demo platform on 127.0.0.1:{port}: {e}");
            return 3;
        }
    };
    let base = server.base_url();
    if serve {
        eprintln!("demo platform at {base}: 网页端 {base}/login · 移动端 {base}/h5/login · 小程序 {base}/mini/login");
        eprintln!("demo phone (SMS codes): {base}/__demo/phone?user=demo");
        eprintln!("accounts: demo (auto-renew on), renewed-off (already off), no-member (nothing to cancel); password {DEMO_PASSWORD}");
        eprintln!("audit: {base}/__demo/audit?user=demo   reset: {base}/__demo/reset");
        eprintln!("press Ctrl-C to stop");
        let _ = tokio::signal::ctrl_c().await;
        return 0;
    }
    let (name, source) = match carrier {
        DemoCarrier::Web => ("scripts/demo-web.yaml", crate::demo::SCRIPT_WEB),
        DemoCarrier::H5 => ("scripts/demo-h5.yaml", crate::demo::SCRIPT_H5),
        DemoCarrier::Mini => ("scripts/demo-mini.yaml", crate::demo::SCRIPT_MINI),
    };
    let mut overrides = common.overrides();
    overrides.vars.push(("base_url".into(), base.clone()));
    overrides.vars.push(("username".into(), user.to_string()));
    if !overrides.secrets.iter().any(|(k, _)| k == "password") {
        overrides
            .secrets
            .push(("password".into(), Secret::new(DEMO_PASSWORD)));
    }
    let plan = match script::parse(Path::new(name), source, &overrides, true) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return EXIT_INVALID;
        }
    };
    eprintln!("demo platform (演示卡盟) serving at {base} (127.0.0.1 only)");
    let (code, _) = execute(&plan, dry_run, common).await;
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
