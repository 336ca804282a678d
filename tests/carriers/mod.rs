//! The H5 and mini-program carriers of the demo platform, end to end in real Chromium: the
//! dry-run changes nothing, the run turns renewal off through the carrier's traps, a second
//! run finds it already off, and an account without membership gets exit 4 and says why.

use crate::run_carrier;
use crate::util::*;

/// What a carrier's run must show besides the audit: the confirm chain it went through and
/// where the switch was (inside a shadow root, inside a frame).
struct Expect {
    carrier: &'static str,
    hops: &'static str,
    switch_at: &'static str,
    switch_step: usize,
    /// What the DOM snapshot of the switch step must hold: the shadow root or the frame.
    dom_has: &'static str,
}

fn check_carrier(e: &Expect) {
    if !chromium_available() {
        return;
    }
    let server = DemoServer::start_in_thread().unwrap();
    let dir = workdir();

    // Dry-run: every target up to the switch is found, nothing changes.
    let dry = run_carrier(
        &server,
        e.carrier,
        "demo",
        &["--dry-run"],
        dir.path(),
        "dry",
    );
    assert_eq!(dry.code(), 0, "{}: dry-run\n{}", e.carrier, dry.stderr());
    let audit = server.audit("demo").unwrap();
    assert!(
        audit.mutations.is_empty(),
        "dry-run changed something: {audit:?}"
    );
    assert!(audit.auto_renew);
    let record = read_json(&dir.path().join("dry/run.json"));
    let steps = record["steps"].as_array().unwrap();
    assert_eq!(steps[e.switch_step - 1]["status"], "located", "{record}");
    assert_eq!(steps[e.switch_step - 1]["switch_before"], "on");
    assert!(steps[e.switch_step..]
        .iter()
        .all(|s| s["status"] == "not_reached"));
    assert_no_leftovers(&dry);
    let dom = std::fs::read_to_string(
        dir.path()
            .join(format!("dry/{:02}-switch-off.html", e.switch_step)),
    )
    .unwrap();
    assert!(
        dom.contains(e.dom_has),
        "{}: DOM snapshot lacks {}",
        e.carrier,
        e.dom_has
    );
    assert!(
        dom.contains("switch"),
        "{}: the switch is in the DOM snapshot",
        e.carrier
    );

    // The run: renewal off, through the carrier's dialogs, no decoy, no refund.
    let run = run_carrier(&server, e.carrier, "demo", &[], dir.path(), "run");
    assert_eq!(run.code(), 0, "{}: run\n{}", e.carrier, run.stderr());
    let audit = server.audit("demo").unwrap();
    assert_off_with_one_change(&audit);
    assert!(
        audit.membership_active,
        "turning renewal off must not end the membership"
    );
    let ev = dir.path().join("run");
    assert!(is_png(&ev.join("proof.png")));
    let record = read_json(&ev.join("run.json"));
    assert_eq!(record["switch_before"], "on");
    assert_eq!(
        record["switch_after"], "off",
        "the state read after the change"
    );
    let steps = record["steps"].as_array().unwrap();
    let switch = &steps[e.switch_step - 1];
    let location = switch["found"]["location"].as_str().unwrap_or("");
    assert!(
        location.contains(e.switch_at),
        "{}: switch at {location}",
        e.carrier
    );
    let confirm = &steps[e.switch_step];
    assert_eq!(confirm["kind"], "confirm");
    let went = confirm["message"].as_str().unwrap_or("");
    assert_eq!(went, format!("went through: {}", e.hops), "{confirm}");
    assert_no_leftovers(&run);

    // Again: already off, nothing clicked.
    let again = run_carrier(&server, e.carrier, "demo", &[], dir.path(), "again");
    assert_eq!(again.code(), 0, "{}", again.stderr());
    assert!(again.stderr().contains("already off"), "{}", again.stderr());
    assert_eq!(server.audit("demo").unwrap().mutations.len(), 1);

    // No membership: exit 4, and the page's own words.
    let none = run_carrier(&server, e.carrier, "no-member", &[], dir.path(), "none");
    assert_eq!(none.code(), 4, "{}", none.stderr());
    assert!(
        none.stderr().contains("nothing to cancel"),
        "{}",
        none.stderr()
    );
    assert!(server.audit("no-member").unwrap().mutations.is_empty());
}

#[test]
fn h5_carrier_shadow_switch_retention_and_sync_delay() {
    check_carrier(&Expect {
        carrier: "h5",
        hops: "“残忍离开” → “确认关闭”",
        switch_at: "::shadow",
        switch_step: 9,
        dom_has: "shadowrootmode=\"open\"",
    });
}

#[test]
fn mini_carrier_iframe_switch_and_the_dialog_where_cancel_keeps() {
    check_carrier(&Expect {
        carrier: "mini",
        hops: "“确定”",
        switch_at: "frame [0]",
        switch_step: 8,
        dom_has: "srcdoc=",
    });
}
