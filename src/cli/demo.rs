//! `demo`: the bundled scripts against the embedded demo platform, or the platform alone.

use std::path::Path;

use clap::Args;

use super::args::Common;
use super::run::{execute, options, print_diagnostics, print_json};
use super::DemoCarrier;
use crate::demo::{DemoServer, DEMO_PASSWORD};
use crate::outcome::code;
use crate::said;
use crate::script;
use crate::secret::Secret;

#[derive(Args, Debug)]
pub(crate) struct DemoOptions {
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

pub(super) async fn demo(o: &DemoOptions, common: &Common) -> i32 {
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
            let said = said!("demo.cannot_start", port = port, problem = e.to_string());
            eprintln!("jieyue: {}", said.here());
            return code::BROWSER;
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
        return code::OK;
    }
    let (name, source) = match carrier {
        DemoCarrier::Web => ("scripts/demo-web.yaml", crate::demo::SCRIPT_WEB),
        DemoCarrier::H5 => ("scripts/demo-h5.yaml", crate::demo::SCRIPT_H5),
        DemoCarrier::Mini => ("scripts/demo-mini.yaml", crate::demo::SCRIPT_MINI),
        DemoCarrier::H5Sms => ("scripts/demo-h5-sms.yaml", crate::demo::SCRIPT_H5_SMS),
        DemoCarrier::MiniQr => ("scripts/demo-mini-qr.yaml", crate::demo::SCRIPT_MINI_QR),
    };
    match carrier {
        DemoCarrier::H5Sms => eprintln!("{}", said!("demo.sms", base = &base).here()),
        DemoCarrier::MiniQr => {
            eprintln!("{}", said!("demo.qr", base = &base, user = user).here())
        }
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
            return code::INVALID;
        }
    };
    eprintln!("{}", said!("demo.serving", base = &base).here());
    let Some(opts) = options(common, &mut plan, dry_run, false) else {
        return code::INVALID;
    };
    let (code, record) = execute(&plan, opts, common).await;
    if let (true, Some(record)) = (common.json, record) {
        print_json(&record, &plan);
    }
    if let Some(audit) = server.audit(user) {
        let said = said!(
            "demo.audit",
            user = user,
            state = if audit.auto_renew {
                said!("demo.state_on")
            } else {
                said!("demo.state_off")
            },
            changes = audit.mutations.len(),
            decoys = audit.decoy_clicks.len(),
            refunds = audit.refund_requests
        );
        eprintln!("{}", said.here());
    }
    code
}
