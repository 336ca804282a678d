//! A side channel to the page for the step screenshots: the browser's own DevTools
//! endpoint, beside chromedriver rather than through it.
//!
//! The standard screenshot command asks Chromium for a PNG at its default compression
//! (60–120 ms of encoding on every step). The DevTools capture can ask for the fast
//! encoder. Sent through chromedriver's CDP passthrough, such a command is never answered
//! if a navigation starts at that moment, and every later command of the session waits
//! behind it; over a connection of its own, that capture only fails or times out, the
//! session goes on, and the step falls back to the standard command.
//!
//! Only a chromedriver started by jieyue on this machine is used this way: its
//! `goog:chromeOptions.debuggerAddress` is a local port. Grid, Appium and Firefox keep the
//! standard command.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::{BoxFuture, Shared};
use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::{json, Value as Json};
use tokio_tungstenite::tungstenite::Message;

/// A capture that takes longer than this is given up for the standard command.
const CAPTURE_LIMIT: Duration = Duration::from_secs(3);

/// The browser's DevTools endpoint, `127.0.0.1:PORT`.
#[derive(Debug, Clone)]
pub(super) struct DevTools {
    address: String,
}

impl DevTools {
    /// From the capabilities of a session opened by a local chromedriver; `None` where the
    /// endpoint is not on this machine.
    pub(super) fn from_capabilities(caps: &serde_json::Map<String, Json>) -> Option<DevTools> {
        let address = caps
            .get("goog:chromeOptions")?
            .get("debuggerAddress")?
            .as_str()?;
        let (host, port) = address.rsplit_once(':')?;
        let port: u16 = port.parse().ok()?;
        matches!(host, "localhost" | "127.0.0.1").then(|| DevTools {
            address: format!("127.0.0.1:{port}"),
        })
    }

    /// The viewport of the page target `target` (chromedriver's window handle is the
    /// DevTools target id) as a PNG, encoded for speed.
    pub(super) async fn viewport_png(&self, target: &str) -> Result<Vec<u8>, String> {
        if !target.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("`{target}` is not a DevTools target id"));
        }
        let url = format!("ws://{}/devtools/page/{target}", self.address);
        let capture = async {
            let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str())
                .await
                .map_err(|e| format!("DevTools connection: {e}"))?;
            let ask = json!({
                "id": 1,
                "method": "Page.captureScreenshot",
                "params": {"format": "png", "optimizeForSpeed": true}
            });
            socket
                .send(Message::text(ask.to_string()))
                .await
                .map_err(|e| format!("DevTools request: {e}"))?;
            let answer = loop {
                match socket.next().await {
                    Some(Ok(Message::Text(text))) => {
                        let value: Json = serde_json::from_str(text.as_str())
                            .map_err(|e| format!("DevTools answer: {e}"))?;
                        if value["id"] == 1 {
                            break value;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(format!("DevTools answer: {e}")),
                    None => return Err("the DevTools connection closed".into()),
                }
            };
            let _ = socket.close(None).await;
            let data = answer["result"]["data"].as_str().ok_or_else(|| {
                format!("no screenshot in the DevTools answer: {}", answer["error"])
            })?;
            decode_base64(data).ok_or_else(|| "bad screenshot data".to_string())
        };
        tokio::time::timeout(CAPTURE_LIMIT, capture)
            .await
            .map_err(|_| "the DevTools capture did not answer in time".to_string())?
    }
}

/// The bytes of a screenshot that DevTools answers in base64.
pub(super) fn decode_base64(data: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}

/// A viewport capture under way: the PNG, or `None` when neither channel gave one.
pub type Capture = Shared<BoxFuture<'static, Option<Arc<Vec<u8>>>>>;

/// The capture of the step that just ended, taken while the next step reads the page.
/// Anything that can change the page waits for it first (`settle`), so the picture is
/// the page as the step left it.
#[derive(Default)]
pub(super) struct InFlight(Mutex<Option<Capture>>);

impl InFlight {
    /// Starts `capture` at once and keeps it until it is settled.
    pub(super) fn start(
        &self,
        capture: impl std::future::Future<Output = Option<Vec<u8>>> + Send + 'static,
    ) -> Capture {
        let task = tokio::spawn(capture);
        let shared = async move { task.await.ok().flatten().map(Arc::new) }
            .boxed()
            .shared();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(shared.clone());
        shared
    }

    /// Waits for the capture under way, if there is one.
    pub(super) async fn settle(&self) {
        let pending = self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(capture) = pending {
            capture.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_local_endpoint_is_used() {
        let caps = |address: &str| {
            json!({"goog:chromeOptions": {"debuggerAddress": address}})
                .as_object()
                .unwrap()
                .clone()
        };
        assert!(DevTools::from_capabilities(&caps("localhost:39211")).is_some());
        assert!(DevTools::from_capabilities(&caps("10.0.0.7:39211")).is_none());
        assert!(DevTools::from_capabilities(&caps("localhost")).is_none());
        assert!(DevTools::from_capabilities(&serde_json::Map::new()).is_none());
    }
}
