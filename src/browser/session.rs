//! One browser session over WebDriver, closed on every exit path.

use std::future::Future;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value as Json};

use super::{BrowserError, BrowserKind, DriverProcess, LaunchOptions};

/// A phone, for carriers h5 and mini: iPhone 12–15 size.
const PHONE_WIDTH: u32 = 390;
const PHONE_HEIGHT: u32 = 844;
const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const DESKTOP_SIZE: (u32, u32) = (1366, 900);

/// No single WebDriver call waits longer than this, whatever a step allows: a page script
/// that never yields, a driver that stops answering or an endpoint that accepts and never
/// replies then ends the run instead of holding it.
pub const CALL_CEILING: Duration = Duration::from_secs(60);
/// What a call may take beyond the step's own limit (a page load, a full-page capture).
const CALL_MARGIN: Duration = Duration::from_secs(15);
/// Opening the session: starting a browser takes about a second here, a Grid may queue.
pub const SESSION_LIMIT: Duration = Duration::from_secs(45);
/// Ending the session politely; after this the driver's processes are killed.
const CLOSE_LIMIT: Duration = Duration::from_secs(3);

/// The driver's own limits end this much before jieyue's.
const DRIVER_EARLIER: Duration = Duration::from_secs(5);

/// What a page load is called in messages (and how `within` tells it from other calls).
const OPENING: &str = "opening a page";

/// The limit of one WebDriver call in a step whose own limit is `step`.
pub fn call_limit(step: Duration) -> Duration {
    (step + CALL_MARGIN).min(CALL_CEILING)
}

pub struct Browser {
    client: Client,
    kind: BrowserKind,
    /// Set once a call went unanswered: the session's queue is blocked behind it, so every
    /// later call fails at once instead of waiting its turn.
    stalled: AtomicBool,
    limit_ms: AtomicU64,
    /// The browser's own DevTools endpoint, for fast step screenshots (local Chromium).
    devtools: Option<super::devtools::DevTools>,
    /// The step screenshot being taken beside the reads that follow it.
    in_flight: super::devtools::InFlight,
    // Field order matters for drop: the session goes before the driver.
    driver: Option<DriverProcess>,
}

/// An element found by the locate engine, resolved for a WebDriver action.
pub struct ElementHandle {
    pub element: Element,
    /// How many frames were entered to reach it; left again after the action.
    depth: usize,
}

impl Browser {
    pub async fn launch(opts: &LaunchOptions) -> Result<Browser, BrowserError> {
        let (driver, url) = match &opts.webdriver {
            Some(url) => (None, url.trim_end_matches('/').to_string()),
            None => {
                let driver = DriverProcess::spawn(opts.kind, opts.driver.as_deref()).await?;
                let url = driver.url().to_string();
                (Some(driver), url)
            }
        };
        let fresh = match (opts.kind, &opts.profile, &driver) {
            (BrowserKind::Chromium, None, Some(driver)) => Some(driver.profile_dir()),
            _ => None,
        };
        let profile_path = match (&opts.profile, &fresh) {
            (Some(saved), _) => Some(saved.as_path()),
            (None, Some(fresh)) => Some(fresh.as_path()),
            (None, None) => None,
        };
        if let (BrowserKind::Chromium, Some(path)) = (opts.kind, profile_path) {
            prepare_chromium_profile(path)?;
        }
        let mut caps = match opts.kind {
            BrowserKind::Chromium => chromium_capabilities(opts, profile_path)?,
            BrowserKind::Firefox => firefox_capabilities(opts),
        };
        if opts.kind == BrowserKind::Chromium && opts.webdriver.is_some() && is_appium(&url).await {
            appium_capabilities(&mut caps);
        }
        let Json::Object(caps) = caps else {
            unreachable!("capabilities are a JSON object")
        };
        let mut builder = ClientBuilder::rustls()
            .map_err(|e| BrowserError::Session(format!("TLS set-up failed: {e}")))?;
        let connect = builder.capabilities(caps).connect(&url);
        let connected = tokio::time::timeout(SESSION_LIMIT, connect)
            .await
            .map_err(|_| {
                BrowserError::Stalled(format!(
                    "the WebDriver server at {url} did not open a session within {} s (it accepts connections but does not answer): check that it is a WebDriver endpoint and that it is not overloaded",
                    SESSION_LIMIT.as_secs()
                ))
            })?;
        let client = connected
            .map_err(|e| {
                let text = e.to_string();
                match &opts.profile {
                    Some(p) if text.contains("already in use") || text.contains("SingletonLock") => {
                        BrowserError::Session(format!(
                            "the profile {} is in use by another browser (another jieyue run with the same --profile?): wait for it to end",
                            p.display()
                        ))
                    }
                    _ => BrowserError::Session(format!("{text} (driver at {url})")),
                }
            })?;
        let limit = call_limit(opts.step_limit);
        let devtools = match (opts.kind, &driver) {
            (BrowserKind::Chromium, Some(_)) => client
                .capabilities()
                .and_then(super::devtools::DevTools::from_capabilities),
            _ => None,
        };
        let browser = Browser {
            client,
            kind: opts.kind,
            stalled: AtomicBool::new(false),
            limit_ms: AtomicU64::new(limit.as_millis() as u64),
            devtools,
            in_flight: Default::default(),
            driver,
        };
        // The driver's own limits end a slow page load or a long script a little before
        // jieyue's, with the driver's error and the session still usable.
        let own = limit.saturating_sub(DRIVER_EARLIER);
        let limits =
            fantoccini::wd::TimeoutConfiguration::new(Some(own), Some(own), Some(Duration::ZERO));
        let _ = browser
            .within(
                "setting the timeouts",
                browser.client.update_timeouts(limits),
            )
            .await;
        if opts.kind == BrowserKind::Firefox {
            let (w, h) = if opts.mobile {
                (PHONE_WIDTH, PHONE_HEIGHT)
            } else {
                DESKTOP_SIZE
            };
            let _ = browser
                .within("sizing the window", browser.client.set_window_size(w, h))
                .await;
        }
        Ok(browser)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs one WebDriver call under the call limit. A call left unanswered marks the
    /// session stalled, and every later call fails at once with the same reason.
    pub async fn within<T, E>(
        &self,
        what: &str,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, BrowserError>
    where
        BrowserError: From<E>,
    {
        let limit = Duration::from_millis(self.limit_ms.load(Ordering::Relaxed));
        if self.is_stalled() {
            return Err(self.stalled_error(what, limit));
        }
        match tokio::time::timeout(limit, call).await {
            // The driver's own limit ran out: the page's renderer did not answer (a script
            // that never yields, or a load that never ends). Every later call would wait
            // as long again, so the session counts as stalled.
            Ok(Err(e)) => match BrowserError::from(e) {
                BrowserError::Command(e) if e.is_timeout() || e.is_script_timeout() => {
                    self.stalled.store(true, Ordering::Relaxed);
                    Err(self.stalled_error(what, limit.saturating_sub(DRIVER_EARLIER)))
                }
                other => Err(other),
            },
            Ok(Ok(value)) => Ok(value),
            Err(_) => {
                self.stalled.store(true, Ordering::Relaxed);
                Err(self.stalled_error(what, limit))
            }
        }
    }

    fn stalled_error(&self, what: &str, waited: Duration) -> BrowserError {
        let limit = waited.as_secs();
        if what == OPENING {
            return BrowserError::Stalled(format!(
                "the page did not finish loading within {limit} s: the site is very slow, or a page script never yields; the run was ended. Try again later"
            ));
        }
        BrowserError::Stalled(format!(
            "the browser stopped answering: no reply to {what} within {limit} s (a page script that never yields, or a driver that hangs); the run was ended"
        ))
    }

    /// Whether a call went unanswered (see `within`).
    pub fn is_stalled(&self) -> bool {
        self.stalled.load(Ordering::Relaxed)
    }

    /// A watchdog above the calls gave up on the browser: treat it as stalled.
    pub fn mark_stalled(&self) {
        self.stalled.store(true, Ordering::Relaxed);
    }

    /// The limit of each call from now on, from the limit of the step about to run.
    pub fn set_step_limit(&self, step: Duration) {
        self.limit_ms
            .store(call_limit(step).as_millis() as u64, Ordering::Relaxed);
    }

    pub fn kind(&self) -> BrowserKind {
        self.kind
    }

    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.as_ref().map(DriverProcess::pid)
    }

    /// Ends the session, then the driver. Call it on every path; dropping without it still
    /// kills the driver's process group, but the browser gets no chance to quit cleanly.
    pub async fn close(self) {
        self.settle_capture().await;
        if !self.is_stalled() {
            match tokio::time::timeout(CLOSE_LIMIT, self.client.clone().close()).await {
                Ok(Err(e)) => tracing::debug!("closing the session: {e}"),
                Err(_) => tracing::debug!("the session did not close in time; ending the driver"),
                Ok(Ok(())) => {}
            }
        }
        drop(self.driver);
    }

    /// Adds the cookies that belong to the current page's host; returns how many.
    pub async fn add_cookies(
        &self,
        cookies: &[super::cookies::ImportedCookie],
    ) -> Result<usize, BrowserError> {
        self.settle_capture().await;
        let url = self
            .within("reading the address", self.client.current_url())
            .await?;
        let host = url.host_str().unwrap_or_default().to_string();
        let mut added = 0;
        for c in cookies.iter().filter(|c| c.applies_to(&host)) {
            self.within("adding a cookie", self.client.add_cookie(c.to_webdriver()))
                .await?;
            added += 1;
        }
        Ok(added)
    }

    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.settle_capture().await;
        self.within(OPENING, self.client.goto(url)).await
    }

    pub async fn current_url(&self) -> Result<String, BrowserError> {
        Ok(self
            .within("reading the address", self.client.current_url())
            .await?
            .to_string())
    }

    pub async fn execute(&self, script: &str, args: Vec<Json>) -> Result<Json, BrowserError> {
        self.within("a page script", self.client.execute(script, args))
            .await
    }

    /// Resolves an element by its frame path (indices of same-origin iframes, outermost
    /// first), the css paths of the shadow hosts that lead to it, and its own css path.
    pub async fn resolve(
        &self,
        frame: &[u16],
        shadow: &[String],
        css: &str,
    ) -> Result<Option<ElementHandle>, BrowserError> {
        // An element is resolved to act on it: the page as the last step left it is
        // captured first.
        self.settle_capture().await;
        let mut depth = 0;
        for index in frame {
            match self
                .within("entering a frame", async {
                    match self.client.enter_frame(*index).await {
                        Err(e) if e.is_no_such_frame() => Ok(false),
                        other => other.map(|_| true),
                    }
                })
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    self.leave_frames(depth).await;
                    return Ok(None);
                }
                Err(e) => {
                    self.leave_frames(depth).await;
                    return Err(e);
                }
            }
            depth += 1;
        }
        let found = self
            .within(
                "finding the element",
                self.client
                    .execute(RESOLVE_JS, vec![json!(shadow), json!(css)]),
            )
            .await;
        let found = match found {
            Ok(v) => v,
            Err(e) => {
                self.leave_frames(depth).await;
                return Err(e);
            }
        };
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Json::as_str)
            .map(str::to_string);
        match id {
            Some(id) => Ok(Some(ElementHandle {
                element: Element::from_element_id(self.client.clone(), ElementRef::from(id)),
                depth,
            })),
            None => {
                self.leave_frames(depth).await;
                Ok(None)
            }
        }
    }

    /// Leaves the frames entered to reach an element.
    pub async fn release(&self, handle: ElementHandle) {
        self.leave_frames(handle.depth).await;
    }

    async fn leave_frames(&self, depth: usize) {
        for _ in 0..depth {
            if self
                .within("leaving a frame", self.client.enter_parent_frame())
                .await
                .is_err()
            {
                break;
            }
        }
    }

    /// A native alert/confirm/prompt, if one is open: its text.
    pub async fn alert_text(&self) -> Result<Option<String>, BrowserError> {
        self.within("reading a dialog", async {
            match self.client.get_alert_text().await {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.is_no_such_alert() => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// How many windows and tabs the session has.
    pub async fn window_count(&self) -> Result<usize, BrowserError> {
        Ok(self
            .within("listing the windows", self.client.windows())
            .await?
            .len())
    }

    /// Moves to the newest window or tab when one opened (a link with `target=_blank`, a
    /// flow that continues in a new tab): true when it moved.
    pub async fn follow_new_window(&self, before: usize) -> Result<bool, BrowserError> {
        let windows = self
            .within("listing the windows", self.client.windows())
            .await?;
        if windows.len() <= before {
            return Ok(false);
        }
        let current = self
            .within("reading the window", self.client.window())
            .await
            .ok();
        match windows
            .into_iter()
            .rev()
            .find(|w| Some(w) != current.as_ref())
        {
            Some(newest) => {
                self.within("switching windows", self.client.switch_to_window(newest))
                    .await?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub async fn accept_alert(&self) -> Result<(), BrowserError> {
        self.settle_capture().await;
        self.within("accepting a dialog", self.client.accept_alert())
            .await
    }

    pub async fn dismiss_alert(&self) -> Result<(), BrowserError> {
        self.settle_capture().await;
        self.within("dismissing a dialog", self.client.dismiss_alert())
            .await
    }

    /// A PNG of the page: the whole page where the driver can (Chromium, through its CDP
    /// passthrough), else the viewport.
    /// The viewport, through the standard command: safe right after a click, when a
    /// navigation may be about to start.
    pub async fn viewport_screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.settle_capture().await;
        self.within("a screenshot", self.client.screenshot()).await
    }

    /// Starts a capture of the viewport through the browser's DevTools endpoint, which runs
    /// while the next step reads the page; whatever can change the page waits for it
    /// (`settle_capture`). Falls back to the standard command if that channel fails.
    /// `None` where there is no such channel (Firefox, Grid, Appium): use
    /// `viewport_screenshot`.
    pub async fn begin_viewport_capture(&self) -> Option<super::devtools::Capture> {
        let devtools = self.devtools.clone()?;
        self.settle_capture().await;
        let window = self
            .within("reading the window", self.client.window())
            .await
            .ok()?;
        let client = self.client.clone();
        let limit = Duration::from_millis(self.limit_ms.load(Ordering::Relaxed));
        Some(self.in_flight.start(async move {
            match devtools.viewport_png(&String::from(window)).await {
                Ok(png) => Some(png),
                Err(e) => {
                    tracing::debug!("{e}; the standard screenshot instead");
                    tokio::time::timeout(limit, client.screenshot())
                        .await
                        .ok()?
                        .ok()
                }
            }
        }))
    }

    /// Waits for the screenshot under way (see `begin_viewport_capture`).
    pub async fn settle_capture(&self) {
        self.in_flight.settle().await;
    }

    /// The whole page (Chromium), for proof on a settled page. A CDP command sent just as a
    /// navigation starts is never answered and blocks the session: use this only after the
    /// page has been seen to settle (an `expect`, a `wait`).
    pub async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.settle_capture().await;
        let _ = self
            .within(
                "a page script",
                self.client.execute("return document.readyState", vec![]),
            )
            .await;
        if self.kind == BrowserKind::Chromium {
            if let Ok(png) = self.full_page_screenshot().await {
                return Ok(png);
            }
        }
        self.within("a screenshot", self.client.screenshot()).await
    }

    async fn full_page_screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let Some(session) = self
            .within("reading the session", self.client.session_id())
            .await?
        else {
            return Err(BrowserError::Session("no session id".into()));
        };
        let metrics = self
            .within(
                "measuring the page",
                self.client
                    .issue_cmd(Cdp::new(&session, "Page.getLayoutMetrics", json!({}))),
            )
            .await?;
        let size = metrics
            .get("cssContentSize")
            .or_else(|| metrics.get("contentSize"));
        let width = size.and_then(|s| s["width"].as_f64()).unwrap_or(0.0);
        let height = size.and_then(|s| s["height"].as_f64()).unwrap_or(0.0);
        let mut params = json!({"format": "png", "captureBeyondViewport": true});
        if width > 0.0 && height > 0.0 {
            // Very tall pages are cut at 12,000 px: beyond that a PNG is unreadable anyway.
            params["clip"] =
                json!({"x": 0, "y": 0, "width": width, "height": height.min(12000.0), "scale": 1});
        }
        let shot = self
            .within(
                "a full-page screenshot",
                self.client
                    .issue_cmd(Cdp::new(&session, "Page.captureScreenshot", params)),
            )
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| BrowserError::Session("no screenshot data".into()))?;
        super::devtools::decode_base64(data)
            .ok_or_else(|| BrowserError::Session("bad screenshot data".into()))
    }

    pub async fn source(&self) -> Result<String, BrowserError> {
        self.within("reading the page source", self.client.source())
            .await
    }
}

const RESOLVE_JS: &str = r#"
const hosts = arguments[0], css = arguments[1];
let root = document;
for (const host of hosts) {
  const h = root.querySelector(host);
  if (!h || !h.shadowRoot) return null;
  root = h.shadowRoot;
}
return root.querySelector(css);
"#;

pub(super) fn chromium_binary() -> Result<PathBuf, BrowserError> {
    if let Some(path) = std::env::var_os("JIEYUE_CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
    ] {
        if Path::new(candidate).is_file() {
            return Ok(candidate.into());
        }
    }
    Err(BrowserError::NoBrowser(crate::said!("browser.no_chromium")))
}

/// Writes the start-up preferences into a profile that has none yet (a saved profile keeps
/// what Chromium wrote since).
fn prepare_chromium_profile(dir: &Path) -> Result<(), BrowserError> {
    let default = dir.join("Default");
    if default.join("Preferences").is_file() {
        return Ok(());
    }
    let prefs = json!({
        "session": {"restore_on_startup": 4, "startup_urls": ["about:blank"]},
        "homepage": "about:blank",
        "homepage_is_newtabpage": false,
        "browser": {"has_seen_welcome_page": true},
        "credentials_enable_service": false,
        "profile": {"password_manager_enabled": false}
    });
    // A fresh profile's start-up page is about:blank: Debian's Chromium otherwise opens its
    // new-tab page and chromedriver waits for it (seconds on two busy cores). Owner-only:
    // the profile will hold the platform's login cookies.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&default)
        .and_then(|_| std::fs::write(default.join("Preferences"), prefs.to_string()))
        .map_err(|e| BrowserError::Session(format!("cannot write the profile: {e}")))?;
    Ok(())
}

fn chromium_capabilities(
    opts: &LaunchOptions,
    profile: Option<&Path>,
) -> Result<Json, BrowserError> {
    let mut args: Vec<String> = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-quic",
        "--disable-crash-reporter",
        "--disable-breakpad",
        "--password-store=basic",
        "--lang=zh-CN",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if !opts.headed {
        args.push("--headless=new".into());
        args.push("--hide-scrollbars".into());
    }
    if !opts.mobile {
        args.push(format!(
            "--window-size={},{}",
            DESKTOP_SIZE.0, DESKTOP_SIZE.1
        ));
    }
    if let Some(profile) = profile {
        args.push(format!("--user-data-dir={}", profile.display()));
    }
    let mut chrome = json!({ "args": args });
    // With a remote driver the binary is on its machine; pass ours only when it exists here.
    match chromium_binary() {
        Ok(binary) => chrome["binary"] = json!(binary),
        Err(e) if opts.webdriver.is_none() => return Err(e),
        Err(_) => {}
    }
    if opts.mobile {
        let ua = if opts.mini_program {
            format!("{PHONE_UA} MicroMessenger/8.0.47 miniProgram")
        } else {
            format!("{PHONE_UA} jieyue-h5")
        };
        chrome["mobileEmulation"] = json!({
            "deviceMetrics": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 2.0, "touch": true, "mobile": true},
            "userAgent": ua
        });
    }
    Ok(json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "unhandledPromptBehavior": "ignore",
        "goog:chromeOptions": chrome
    }))
}

/// Whether the WebDriver server at `url` is Appium: its `/status` says so in its own words
/// (chromedriver and Selenium Grid say theirs). Asked once, briefly; no answer is "no".
async fn is_appium(url: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
        return false;
    };
    let path = format!("{}/status", parsed.path().trim_end_matches('/'));
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect((host, port)).await.ok()?;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut body = Vec::new();
        let mut buf = [0u8; 2048];
        while body.len() < 16 * 1024 {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
            if body.windows(2).any(|w| w == b"}}") {
                break;
            }
        }
        Some(String::from_utf8_lossy(&body).to_lowercase())
    };
    let said = tokio::time::timeout(Duration::from_secs(2), ask)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    said.contains("ready to accept new connections") || said.contains("appium")
}

/// What Appium 3 needs besides Chrome's own capabilities: its Chromium driver, the
/// platform, and the chromedriver of this machine (it downloads none).
fn appium_capabilities(caps: &mut Json) {
    caps["platformName"] = json!(std::env::consts::OS);
    caps["appium:automationName"] = json!("Chromium");
    caps["appium:autodownloadEnabled"] = json!(false);
    let chromedriver = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromedriver"))
            .find(|p| p.is_file())
    });
    if let Some(path) = chromedriver {
        caps["appium:executable"] = json!(path);
    }
    if let Ok(port) = super::driver::free_port() {
        caps["appium:chromedriverPort"] = json!(port);
    }
}

fn firefox_capabilities(opts: &LaunchOptions) -> Json {
    let mut args: Vec<String> = Vec::new();
    if !opts.headed {
        args.push("-headless".into());
    }
    if let Some(profile) = &opts.profile {
        args.push("-profile".into());
        args.push(profile.display().to_string());
    }
    let mut prefs = json!({
        "intl.accept_languages": "zh-CN",
        "browser.shell.checkDefaultBrowser": false,
        "datareporting.policy.dataSubmissionEnabled": false,
        "toolkit.telemetry.enabled": false,
        "app.update.enabled": false,
        "network.captive-portal-service.enabled": false
    });
    if opts.mobile {
        prefs["general.useragent.override"] = json!(PHONE_UA);
    }
    json!({
        "browserName": "firefox",
        "unhandledPromptBehavior": "ignore",
        "moz:firefoxOptions": {"args": args, "prefs": prefs}
    })
}

/// chromedriver's CDP passthrough: `POST /session/{id}/goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    session: String,
    body: Json,
}

impl Cdp {
    fn new(session: &str, cmd: &str, params: Json) -> Self {
        Cdp {
            session: session.to_string(),
            body: json!({"cmd": cmd, "params": params}),
        }
    }
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        _session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", self.session))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
