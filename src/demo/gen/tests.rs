use std::collections::BTreeSet;

use scraper::{Html, Selector};

use super::render::{self, Live, Opts};
use super::serve::{apply, click_decoy, GenState};
use super::View;
use super::*;

const SEEDS: std::ops::Range<u64> = 0..300;

/// Every page the server can show for the platform, by view.
fn served_views(p: &Platform) -> Vec<View> {
    let mut views = vec![View::Service];
    if !p.entry.direct() {
        views.push(View::Start);
    }
    if let Entry::Menu(depth) = p.entry {
        views.extend((1..depth as usize).map(View::Level));
    }
    let steps = p.screens().len();
    match p.dialog {
        DialogForm::Pages => views.extend((0..steps).map(View::Step)),
        DialogForm::Iframe => views.extend((0..steps).map(View::Frame)),
        _ => {}
    }
    views.extend(
        Decoy::ON_PAGE
            .into_iter()
            .chain([Decoy::Offer])
            .map(View::Order),
    );
    views.extend((0..p.details.elsewhere.len()).map(View::Elsewhere));
    views
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn the_same_seed_gives_the_same_platform_and_pages() {
    for seed in [0, 1, 7, 42, 299, 1_000_003, u64::MAX] {
        assert_eq!(platform(seed).describe(), platform(seed).describe());
        assert_eq!(pages(seed), pages(seed), "seed {seed}");
    }
    let all: BTreeSet<String> = SEEDS
        .map(|s| platform(s).describe()[6..].to_string())
        .collect();
    assert!(
        all.len() > 250,
        "seeds compose different platforms: {}",
        all.len()
    );
}

#[test]
fn every_axis_value_appears_across_300_seeds() {
    let seen: BTreeSet<(&str, String)> = SEEDS.flat_map(|s| platform(s).axes()).collect();
    for (axis, values) in AXES {
        for value in *values {
            assert!(
                seen.contains(&(*axis, value.to_string())),
                "{axis}={value} never drawn in seeds {SEEDS:?}"
            );
        }
    }
    for (axis, value) in &seen {
        let known = AXES
            .iter()
            .any(|(a, vs)| a == axis && vs.contains(&value.as_str()));
        assert!(known, "{axis}={value} is not listed in AXES");
    }
}

#[test]
fn served_pages_carry_no_labels() {
    for seed in SEEDS {
        let p = platform(seed);
        let fresh = Live::fresh(&p);
        let mut done = fresh.clone();
        done.renew[p.wanted] = false;
        for view in served_views(&p) {
            for live in [&fresh, &done] {
                let html = render::page(&p, view, live, &Opts::default());
                assert!(
                    !html.contains("data-case-") && !html.contains("data-expect"),
                    "{p:?} {view:?} carries a label"
                );
                assert!(html.contains("<script>"), "{p:?} {view:?} has no script");
            }
        }
    }
}

#[test]
fn static_pages_carry_the_labels_of_their_stage() {
    let never_ok = |doc: &Html, css: &str| {
        let selector = Selector::parse(css).expect("a selector");
        doc.select(&selector)
            .all(|e| e.value().attr("data-expect-never").is_some())
    };
    for seed in SEEDS {
        let p = platform(seed);
        let stages = pages(seed);
        let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
        assert_eq!(names.last(), Some(&"done"), "{p:?}");
        assert!(names.contains(&"service"), "{p:?}");
        let service = format!(
            r#"data-case-service="{}""#,
            html_escape::encode_double_quoted_attribute(&p.keywords().join("|"))
        );
        for page in &stages {
            let html = &page.html;
            let what = format!("{p:?} stage {}", page.stage);
            assert!(html.contains(&service), "{what}: no data-case-service");
            assert!(html.contains("data-case-axes=\"state:"), "{what}: no axes");
            assert!(
                !html.contains("<script>"),
                "{what}: a static page has no script"
            );
            let doc = Html::parse_document(html);
            for css in [r#"[data-expect="decoy"]"#, r#"[data-expect="stay"]"#] {
                assert!(
                    never_ok(&doc, css),
                    "{what}: a {css} without data-expect-never"
                );
            }
            let clicks = Selector::parse("[data-expect-click]").expect("a selector");
            assert!(
                doc.select(&clicks)
                    .all(|e| e.value().attr("data-expect-never").is_none()),
                "{what}: an expected click is also never"
            );
            let switch_off = count(html, r#"data-expect-click="switch_off""#);
            let confirm = count(html, r#"data-expect-click="confirm""#);
            match page.stage.as_str() {
                "start" | "menu-1" | "menu-2" => {
                    assert!(html.contains(r#"data-case-state="unknown""#), "{what}");
                    assert_eq!(switch_off + confirm, 0, "{what}");
                    let next = if page.stage == "start" {
                        1
                    } else {
                        1 + page.stage[5..].parse::<usize>().unwrap()
                    };
                    assert!(
                        html.contains(&format!(r#"href="{}""#, p.level_path(next)))
                            || html.contains(&format!(r#"href="{}""#, p.service_path())),
                        "{what}: no way on"
                    );
                }
                "service" => {
                    assert!(html.contains(r#"data-case-state="on""#), "{what}");
                    assert!(switch_off >= 1, "{what}: no switch_off");
                    assert_eq!(confirm, 0, "{what}");
                }
                "save" => {
                    assert!(html.contains(r#"data-case-confirm="proceed""#), "{what}");
                    assert_eq!((switch_off, confirm), (0, 1), "{what}");
                }
                "retention" | "reason" | "confirm" => {
                    assert!(html.contains(r#"data-case-confirm="proceed""#), "{what}");
                    assert_eq!(switch_off, 0, "{what}");
                    assert_eq!(confirm, 1, "{what}");
                    if page.stage == "reason" {
                        assert!(html.contains(r#"data-expect-click="reason""#), "{what}");
                    }
                    if page.stage == "confirm" && p.chain.ack {
                        assert!(html.contains(r#"data-expect-click="tick""#), "{what}");
                    }
                }
                "done" => {
                    assert!(html.contains(r#"data-case-state="off""#), "{what}");
                    assert!(html.contains(r#"data-case-confirm="done""#), "{what}");
                    assert_eq!(switch_off + confirm, 0, "{what}");
                    assert!(html.contains(&p.success_text()), "{what}: no success text");
                }
                other => panic!("{what}: unknown stage {other}"),
            }
        }
        let steps = stages
            .iter()
            .filter(|s| matches!(s.stage.as_str(), "retention" | "reason" | "confirm"))
            .count();
        let expected = match p.dialog {
            DialogForm::None | DialogForm::Native => 0,
            _ => p.screens().len(),
        };
        assert_eq!(steps, expected, "{p:?}");
    }
}

#[test]
fn renewal_goes_off_only_with_what_the_chain_asks() {
    let mut seeds = SEEDS;
    let seed = seeds
        .find(|&s| {
            let p = platform(s);
            p.chain.reason && p.chain.ack && p.services.len() > 1
        })
        .expect("a platform asking a reason and an acknowledgement");
    let p = platform(seed);
    let mut state = GenState::default();
    assert!(apply(&mut state, seed, p.wanted, false, "", true).is_err());
    assert!(apply(&mut state, seed, p.wanted, false, "不再需要", false).is_err());
    let audit = apply(&mut state, seed, p.wanted, false, "不再需要", true).expect("off");
    assert!(!audit.auto_renew);
    assert_eq!(audit.mutations.len(), 1);
    assert!(audit.wrong_service.is_empty() && audit.decoy_clicks.is_empty());

    let other = (p.wanted + 1) % p.services.len();
    let audit = apply(&mut state, seed, other, true, "", false).expect("on");
    assert_eq!(audit.wrong_service.len(), 1);
    assert!(audit.others.iter().any(|&on| on));
}

#[test]
fn a_decoy_is_recorded_and_changes_nothing() {
    let mut state = GenState::default();
    let audit = click_decoy(&mut state, 3, "renew");
    assert!(audit.auto_renew);
    assert_eq!(audit.decoy_clicks.len(), 1);
    assert_eq!(audit.mutations.len(), 1);
}

/// One request to the demo server, as a browser would send it; returns status and body.
fn http(server: &crate::demo::DemoServer, method: &str, path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.addr()).expect("the demo server");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("a request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer[9..12].parse().expect("a status code");
    (status, answer)
}

#[test]
fn the_demo_server_serves_a_platform_and_audits_it() {
    let server = crate::demo::DemoServer::start_in_thread().expect("the demo server");
    let seed = 41;
    let p = platform(seed);
    assert_eq!(server.gen_audit(seed), None, "nothing served yet");
    let (status, page) = http(&server, "GET", &p.start_path(), "");
    assert_eq!(status, 200);
    assert!(!page.contains("data-expect") && !page.contains("data-case-"));
    assert_eq!(
        http(&server, "POST", "/gen/41/api/decoy/upgrade", "").0,
        200
    );
    let audit = server.gen_audit(seed).expect("an audit once served");
    assert!(audit.auto_renew);
    assert_eq!(audit.decoy_clicks.len(), 1);

    let reason = if p.chain.reason { "reason=x&" } else { "" };
    let ack = if p.chain.ack { "ack=1&" } else { "" };
    let off = format!("{reason}{ack}on=0");
    let (status, _) = http(
        &server,
        "POST",
        &format!("/gen/41/api/renew/{}", p.wanted),
        &off,
    );
    assert_eq!(status, 200);
    let (_, json) = http(&server, "GET", "/__demo/gen/41/audit", "");
    assert!(json.contains(r#""auto_renew":false"#), "{json}");
    let (_, page) = http(&server, "GET", &p.service_path(), "");
    assert!(page.contains(&p.success_text()), "the page says it is off");

    assert_eq!(http(&server, "POST", "/__demo/gen/41/reset", "").0, 200);
    assert!(server
        .gen_audit(seed)
        .is_none_or(|a| a.auto_renew && a.mutations.is_empty()));
}

#[test]
fn the_path_names_controls_the_served_pages_hold() {
    let mut covered = 0;
    for seed in SEEDS {
        let p = platform(seed);
        let Some(path) = p.path() else { continue };
        covered += 1;
        let fresh = Live::fresh(&p);
        let html: String = served_views(&p)
            .into_iter()
            .map(|view| render::page(&p, view, &fresh, &Opts::default()))
            .collect();
        let doc = Html::parse_document(&html);
        for m in path["moves"].as_array().unwrap() {
            let css = m["click"].as_str().unwrap();
            // `label:has(> input)` is Chromium's; scraper checks the input it names.
            let css = css.replace("label:has(> ", "").replace(')', "");
            let sel = Selector::parse(&css).unwrap();
            // A list that renders late is in the page's script, as JSON.
            let attr = &css[css.find('[').unwrap() + 1..css.rfind(']').unwrap()];
            let late = attr.replace('"', "\\\"");
            assert!(
                doc.select(&sel).next().is_some() || html.contains(&late),
                "{}: `{css}` matches nothing",
                p.describe()
            );
        }
        assert!(path["success"].as_str().is_some_and(|s| !s.is_empty()));
    }
    assert!(covered > 60, "only {covered} of 300 platforms have a path");
}
