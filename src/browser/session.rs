//! One browser session over WebDriver, closed on every exit path.

use std::path::{Path, PathBuf};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value as Json};

use super::{BrowserError, BrowserKind, DriverProcess, LaunchOptions};

/// A phone, for carriers h5 and mini: iPhone 12–15 size.
const PHONE_WIDTH: u32 = 390;
const PHONE_HEIGHT: u32 = 844;
const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const DESKTOP_SIZE: (u32, u32) = (1366, 900);

pub struct Browser {
    client: Client,
    kind: BrowserKind,
    // Field order matters for drop: the session goes before the driver.
    driver: Option<DriverProcess>,
    _profile: Option<tempfile::TempDir>,
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
        let profile = match (opts.kind, &opts.profile) {
            (BrowserKind::Chromium, None) if opts.webdriver.is_none() => Some(chromium_profile()?),
            _ => None,
        };
        let profile_path = match &opts.profile {
            Some(saved) => {
                if opts.kind == BrowserKind::Chromium {
                    prepare_chromium_profile(saved)?;
                }
                Some(saved.as_path())
            }
            None => profile.as_ref().map(|p| p.path()),
        };
        let caps = match opts.kind {
            BrowserKind::Chromium => chromium_capabilities(opts, profile_path)?,
            BrowserKind::Firefox => firefox_capabilities(opts),
        };
        let Json::Object(caps) = caps else {
            unreachable!("capabilities are a JSON object")
        };
        let mut builder = ClientBuilder::rustls()
            .map_err(|e| BrowserError::Session(format!("TLS set-up failed: {e}")))?;
        let client = builder
            .capabilities(caps)
            .connect(&url)
            .await
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
        let browser = Browser {
            client,
            kind: opts.kind,
            driver,
            _profile: profile,
        };
        // A page that never finishes loading, or a script that never returns, must end in
        // an error the run can report, not in a wait without end.
        let limits = fantoccini::wd::TimeoutConfiguration::new(
            Some(std::time::Duration::from_secs(30)),
            Some(std::time::Duration::from_secs(30)),
            Some(std::time::Duration::ZERO),
        );
        let _ = browser.client.update_timeouts(limits).await;
        if opts.kind == BrowserKind::Firefox {
            let (w, h) = if opts.mobile {
                (PHONE_WIDTH, PHONE_HEIGHT)
            } else {
                DESKTOP_SIZE
            };
            let _ = browser.client.set_window_size(w, h).await;
        }
        Ok(browser)
    }

    pub fn client(&self) -> &Client {
        &self.client
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
        if let Err(e) = self.client.close().await {
            tracing::debug!("closing the session: {e}");
        }
        drop(self.driver);
    }

    /// Adds the cookies that belong to the current page's host; returns how many.
    pub async fn add_cookies(
        &self,
        cookies: &[super::cookies::ImportedCookie],
    ) -> Result<usize, BrowserError> {
        let url = self.client.current_url().await?;
        let host = url.host_str().unwrap_or_default().to_string();
        let mut added = 0;
        for c in cookies.iter().filter(|c| c.applies_to(&host)) {
            self.client.add_cookie(c.to_webdriver()).await?;
            added += 1;
        }
        Ok(added)
    }

    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.client.goto(url).await?;
        Ok(())
    }

    pub async fn current_url(&self) -> Result<String, BrowserError> {
        Ok(self.client.current_url().await?.to_string())
    }

    pub async fn execute(&self, script: &str, args: Vec<Json>) -> Result<Json, BrowserError> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Resolves an element by its frame path (indices of same-origin iframes, outermost
    /// first), the css paths of the shadow hosts that lead to it, and its own css path.
    pub async fn resolve(
        &self,
        frame: &[u16],
        shadow: &[String],
        css: &str,
    ) -> Result<Option<ElementHandle>, BrowserError> {
        let mut depth = 0;
        for index in frame {
            if let Err(e) = self.client.enter_frame(*index).await {
                self.leave_frames(depth).await;
                if e.is_no_such_frame() {
                    return Ok(None);
                }
                return Err(e.into());
            }
            depth += 1;
        }
        let found = self
            .client
            .execute(RESOLVE_JS, vec![json!(shadow), json!(css)])
            .await;
        let found = match found {
            Ok(v) => v,
            Err(e) => {
                self.leave_frames(depth).await;
                return Err(e.into());
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
            if self.client.enter_parent_frame().await.is_err() {
                break;
            }
        }
    }

    /// A native alert/confirm/prompt, if one is open: its text.
    pub async fn alert_text(&self) -> Result<Option<String>, BrowserError> {
        match self.client.get_alert_text().await {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.is_no_such_alert() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// How many windows and tabs the session has.
    pub async fn window_count(&self) -> Result<usize, BrowserError> {
        Ok(self.client.windows().await?.len())
    }

    /// Moves to the newest window or tab when one opened (a link with `target=_blank`, a
    /// flow that continues in a new tab): true when it moved.
    pub async fn follow_new_window(&self, before: usize) -> Result<bool, BrowserError> {
        let windows = self.client.windows().await?;
        if windows.len() <= before {
            return Ok(false);
        }
        let current = self.client.window().await.ok();
        match windows
            .into_iter()
            .rev()
            .find(|w| Some(w) != current.as_ref())
        {
            Some(newest) => {
                self.client.switch_to_window(newest).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub async fn accept_alert(&self) -> Result<(), BrowserError> {
        Ok(self.client.accept_alert().await?)
    }

    pub async fn dismiss_alert(&self) -> Result<(), BrowserError> {
        Ok(self.client.dismiss_alert().await?)
    }

    /// A PNG of the page: the whole page where the driver can (Chromium, through its CDP
    /// passthrough), else the viewport.
    /// The viewport, through the standard command: safe right after a click, when a
    /// navigation may be about to start.
    pub async fn viewport_screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        Ok(self.client.screenshot().await?)
    }

    /// The whole page (Chromium), for proof on a settled page. A CDP command sent just as a
    /// navigation starts is never answered and blocks the session: use this only after the
    /// page has been seen to settle (an `expect`, a `wait`).
    pub async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let _ = self
            .client
            .execute("return document.readyState", vec![])
            .await;
        if self.kind == BrowserKind::Chromium {
            if let Ok(png) = self.full_page_screenshot().await {
                return Ok(png);
            }
        }
        Ok(self.client.screenshot().await?)
    }

    async fn full_page_screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let Some(session) = self.client.session_id().await? else {
            return Err(BrowserError::Session("no session id".into()));
        };
        let metrics = self
            .client
            .issue_cmd(Cdp::new(&session, "Page.getLayoutMetrics", json!({})))
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
            .client
            .issue_cmd(Cdp::new(&session, "Page.captureScreenshot", params))
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| BrowserError::Session("no screenshot data".into()))?;
        decode_base64(data).ok_or_else(|| BrowserError::Session("bad screenshot data".into()))
    }

    pub async fn source(&self) -> Result<String, BrowserError> {
        Ok(self.client.source().await?)
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

fn chromium_binary() -> Result<PathBuf, BrowserError> {
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
    Err(BrowserError::NoBrowser(
        "Chromium was not found (/usr/bin/chromium): run ./webdriver/install.sh, or set JIEYUE_CHROMIUM to the browser binary".into(),
    ))
}

/// A fresh profile whose start-up page is about:blank: Debian's Chromium otherwise opens
/// its new-tab page and chromedriver waits for it (seconds on two busy cores).
fn chromium_profile() -> Result<tempfile::TempDir, BrowserError> {
    let dir = tempfile::Builder::new()
        .prefix("jieyue-profile-")
        .tempdir()
        .map_err(|e| BrowserError::Session(format!("cannot create a profile folder: {e}")))?;
    prepare_chromium_profile(dir.path())?;
    Ok(dir)
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
    std::fs::create_dir_all(&default)
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

fn decode_base64(data: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}
