//! Benchmark: finding "关闭自动续费" on a generated page of 10,000 elements, the target three
//! levels deep, in real headless Chromium. jieyue's way (one snapshot round trip, then
//! classify and choose in Rust) against the naive way (one `find` per keyword, then one
//! `is_displayed` and one `text` per hit), side by side in the same browser.
//!
//! Run: `cargo bench --bench locate` (needs chromium and chromedriver: webdriver/install.sh).

use std::time::{Duration, Instant};

use fantoccini::Locator;
use jieyue::browser::{Browser, LaunchOptions};
use jieyue::locate::lexicon::{fold_table, normalize};
use jieyue::locate::{choose, Found, Snapshot, Want, SNAPSHOT_JS};
use jieyue::script::Target;
use serde_json::json;

const RUNS: usize = 25;
const KEYWORDS: [&str; 3] = ["关闭自动续费", "取消自动续费", "解约"];

/// 10,000 elements: a header, 40 sections of 50 rows of 5 elements each, with the one
/// target inside section → list → row (three levels down) near the end.
fn page() -> String {
    let mut body = String::with_capacity(1 << 20);
    body.push_str("<header><nav>");
    for i in 0..20 {
        body.push_str(&format!("<a href=\"/c{i}\">栏目{i}</a>"));
    }
    body.push_str("</nav></header>");
    let mut count = 21;
    for s in 0..40 {
        body.push_str(&format!("<section><h2>分区 {s}</h2><ul>"));
        for r in 0..49 {
            body.push_str(&format!(
                "<li class=\"row\"><span>商品 {s}-{r}</span><span class=\"price\">¥{}.9</span><a href=\"/g/{s}/{r}\">查看详情</a><button>立即购买</button></li>",
                r % 90 + 9
            ));
            count += 5;
        }
        if s == 37 {
            body.push_str("<li class=\"row\"><span>自动续费</span><span>已开启</span><a href=\"javascript:void(0)\" id=\"target\">关闭自动续费</a><button>立即续费</button></li>");
        } else {
            body.push_str("<li class=\"row\"><span>说明</span><span>续费价格以页面为准</span><a href=\"/more\">更多</a><button>加入购物车</button></li>");
        }
        count += 5;
        body.push_str("</ul></section>");
        count += 3;
    }
    format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>bench</title></head><body><!-- {count} elements -->{body}</body></html>")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("page.html");
    std::fs::write(&file, page()).expect("the page is written");
    let browser = Browser::launch(&LaunchOptions::default())
        .await
        .expect("chromium and chromedriver (run webdriver/install.sh)");
    browser
        .goto(&format!("file://{}", file.display()))
        .await
        .expect("the page opens");
    let elements = browser
        .execute("return document.getElementsByTagName('*').length", vec![])
        .await
        .unwrap();
    let target = Target::keywords(KEYWORDS.iter().map(|s| s.to_string()).collect());
    let words: Vec<String> = KEYWORDS.iter().map(|w| normalize(w)).collect();
    let query = json!({ "css": [], "words": words, "fold": fold_table() });

    let mut ours = Vec::new();
    let mut snapshot_only = Vec::new();
    let mut naive = Vec::new();
    let mut naive_trips = 0;
    let mut candidates = 0;
    let mut bytes = 0;
    let mut js_ms = 0.0;
    for _ in 0..RUNS {
        // jieyue: one execute, then pure Rust.
        let t = Instant::now();
        let value = browser
            .client()
            .execute(SNAPSHOT_JS, vec![query.clone()])
            .await
            .unwrap();
        let fetched = t.elapsed();
        bytes = value.to_string().len();
        js_ms = value["took_ms"].as_f64().unwrap_or(0.0);
        let snap: Snapshot = serde_json::from_value(value).unwrap();
        let found = choose(&snap, &target, Want::Click);
        ours.push(t.elapsed());
        snapshot_only.push(fetched);
        candidates = snap.candidates.len();
        match found {
            Found::Match { best, .. } => assert_eq!(best.candidate.id, "target"),
            other => panic!("jieyue did not find the target: {other:?}"),
        }

        // Naive: a find per keyword, then a round trip per hit to ask if it is shown.
        let t = Instant::now();
        let mut trips = 0;
        let mut hit = None;
        for kw in KEYWORDS {
            let xpath = format!("//*[contains(normalize-space(.), '{kw}') and not(*[contains(normalize-space(.), '{kw}')])]");
            let found = browser
                .client()
                .find_all(Locator::XPath(&xpath))
                .await
                .unwrap();
            trips += 1;
            for el in found {
                trips += 2;
                if el.is_displayed().await.unwrap() && el.text().await.unwrap().trim() == kw {
                    hit.get_or_insert(el);
                }
            }
        }
        naive.push(t.elapsed());
        naive_trips = trips;
        assert!(hit.is_some(), "the naive way did not find the target");
    }
    browser.close().await;

    let (o, s, n) = (median(ours), median(snapshot_only), median(naive));
    println!("locate benchmark: {elements} elements, target three levels deep, {RUNS} runs each, interleaved");
    println!("| way | median | round trips |");
    println!("|---|---:|---:|");
    println!(
        "| jieyue: snapshot + classify + choose | {:.1} ms | 1 |",
        ms(o)
    );
    println!(
        "|   of which the snapshot round trip | {:.1} ms | 1 |",
        ms(s)
    );
    println!(
        "| naive: find per keyword + is_displayed/text per hit | {:.1} ms | {naive_trips} |",
        ms(n)
    );
    println!(
        "jieyue is {:.1}x the speed of the naive way; {candidates} candidates, {} KiB of JSON; the walk inside the page took {js_ms:.1} ms",
        ms(n) / ms(o),
        bytes / 1024
    );
}
