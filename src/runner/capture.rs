//! Evidence of each step: a stamped screenshot and the DOM with input values removed.

use std::time::Duration;

use serde_json::json;

use super::steps::{Exec, PendingShot};
use crate::evidence::stamp::{stamp_png, Stamp};
use crate::record::{FoundRecord, RunRecord, StepRecord, StepStatus};
use crate::script::{Action, Step};
use crate::secret::mask_account;

/// A step's picture: taken, or being taken beside the next step's reads.
enum Shot {
    Now(Vec<u8>),
    Beside(crate::browser::Capture),
}

/// A screenshot that takes longer than this is given up (the step's record says so).
const SCREENSHOT_LIMIT: Duration = Duration::from_secs(20);

impl Exec<'_> {
    /// After every step: `NN-kind.png` (stamped; in dry-run with the found element outlined)
    /// and `NN-kind.html`. `status` is what the stamp says about the step.
    pub async fn capture_step(
        &mut self,
        step: &Step,
        rec: &mut StepRecord,
        status: &str,
        refused: bool,
    ) {
        if matches!(step.action, Action::Screenshot { .. }) {
            return;
        }
        if self.browser.alert_text().await.ok().flatten().is_some() {
            // A screenshot command would dismiss the open alert: that would be a click.
            rec.message.get_or_insert_with(|| {
                "no screenshot: a browser alert was open (capturing would dismiss it)".into()
            });
            return;
        }
        let stem = format!("{:02}-{}", step.number, step.kind().replace('_', "-"));
        // Dry-run shows what it found; a refusal shows what the guard would not click.
        let outlined = match &rec.found {
            Some(found) if refused => self.outline(found, "refused").await,
            Some(found) if self.opts.dry_run => self.outline(found, "found").await,
            _ => false,
        };
        // A code typed into a visible field would show in the picture: dots instead, in this
        // step's screenshot and in later ones while the field is on the page.
        if let (Action::Code { .. }, Some(found), StepStatus::Ok) =
            (&step.action, &rec.found, rec.status)
        {
            self.code_fields.push(found.clone());
        }
        let files = self.capture(&stem, step, status, false).await;
        if outlined {
            self.remove_outline().await;
        }
        rec.files.extend(files.0);
        if rec.url.is_none() {
            rec.url = files.1;
        }
    }

    /// Writes `<stem>.html` and `<stem>.png`; returns the files written and the page URL.
    /// A full-page capture (the `screenshot:` step) shows a confirmation below the fold.
    /// Fields that received a code show as dots in the screenshot only (the DOM snapshot has
    /// no input values anyway); a field no longer on the page is forgotten.
    pub async fn capture(
        &mut self,
        stem: &str,
        step: &Step,
        status: &str,
        full_page: bool,
    ) -> (Vec<String>, Option<String>) {
        // The previous step's screenshot first: the manifest lists files in step order.
        let t0 = std::time::Instant::now();
        self.settle_evidence().await;
        let t_settled = t0.elapsed();
        // The picture starts first and is taken while the DOM is read (and then while the
        // next step reads the page); a field to mask first makes it wait.
        let early = match (full_page, self.code_fields.is_empty()) {
            (false, true) => self.browser.begin_viewport_capture().await,
            _ => None,
        };
        let mut files = Vec::new();
        let dom = self
            .browser
            .execute(DOM_JS, vec![])
            .await
            .ok()
            .and_then(|v| serde_json::from_value::<Dom>(v).ok());
        // Only web pages are kept: a redirect or a link that lands on a local file or a
        // browser page never reaches the evidence a person hands to others.
        if dom.as_ref().is_some_and(|d| !is_web_page(&d.url)) {
            tracing::warn!("no capture: the browser is not on a web page (only http:// and https:// pages are captured)");
            return (files, None);
        }
        let t_dom = t0.elapsed();
        let url = dom.as_ref().map(|d| self.redactor.redact(&d.url));
        if let Some(dom) = &dom {
            files.extend(self.keep_dom(stem, step, dom));
        }
        let mut masked = Vec::new();
        for field in std::mem::take(&mut self.code_fields) {
            if self.on_found(MASK_JS, &field, json!(true)).await {
                masked.push(field);
            }
        }
        // The usual case: the picture is taken over the DevTools channel while the next
        // step reads the page. A field masked for the picture, or the `screenshot:` step's
        // whole page, is taken now.
        let beside = match (early, full_page, masked.is_empty()) {
            (Some(capture), _, _) => Some(capture),
            (None, false, true) => self.browser.begin_viewport_capture().await,
            _ => None,
        };
        let t_shot = t0.elapsed();
        let png = match beside {
            Some(capture) => Shot::Beside(capture),
            None => {
                let shot = if full_page {
                    tokio::time::timeout(SCREENSHOT_LIMIT, self.browser.screenshot()).await
                } else {
                    tokio::time::timeout(SCREENSHOT_LIMIT, self.browser.viewport_screenshot()).await
                };
                for field in &masked {
                    self.on_found(MASK_JS, field, json!(false)).await;
                }
                match shot {
                    Ok(Ok(png)) => Shot::Now(png),
                    Ok(Err(e)) => {
                        tracing::warn!("no screenshot after step {}: {e}", step.number);
                        return (files, url);
                    }
                    Err(_) => {
                        tracing::warn!(
                            "the screenshot after step {} took over {} s and was given up",
                            step.number,
                            SCREENSHOT_LIMIT.as_secs()
                        );
                        return (files, url);
                    }
                }
            }
        };
        self.code_fields = masked;
        tracing::debug!(
            settle_ms = t_settled.as_millis() as u64,
            dom_ms = (t_dom - t_settled).as_millis() as u64,
            shot_ms = (t0.elapsed() - t_shot).as_millis() as u64,
            "capture timing"
        );
        // Stamping (decode, draw, encode: tens of ms) runs beside the next step; the file is
        // written before the next capture, before any change, and at the end of the run.
        let stamp = self.stamp(step, status, url.as_deref().unwrap_or("(unknown)"));
        let number = step.number;
        let stamping = tokio::spawn(async move {
            let png = match png {
                Shot::Now(png) => png,
                Shot::Beside(capture) => match capture.await {
                    Some(png) => Vec::clone(&png),
                    None => {
                        tracing::warn!("no screenshot after step {number}");
                        return None;
                    }
                },
            };
            let stamped = tokio::task::spawn_blocking(move || match stamp_png(&png, &stamp) {
                Ok(stamped) => stamped,
                Err(e) => {
                    tracing::warn!("screenshot of step {number} kept unstamped: {e}");
                    png
                }
            });
            stamped.await.ok()
        });
        self.pending = Some(PendingShot {
            step: step.number,
            name: format!("{stem}.png"),
            stamping,
        });
        if full_page {
            // The `screenshot:` step is the proof itself: it is written now.
            files.extend(self.settled(step.number).await);
        }
        (files, url)
    }

    /// Writes `<stem>.html`, the DOM with a head that says what it is.
    fn keep_dom(&mut self, stem: &str, step: &Step, dom: &Dom) -> Option<String> {
        let head = format!(
            "<!-- jieyue DOM snapshot · {} · step {} `{}` · {} · input values and secrets removed, scripts not kept -->\n",
            crate::record::now_rfc3339(),
            step.number,
            step.kind(),
            dom.url
        );
        self.recorder
            .text(&format!("{stem}.html"), &(head + &dom.html))
            .map_err(|e| tracing::warn!("{e}"))
            .ok()
    }

    /// A capture a person looks at now (the page a `pause` waits on): written at once.
    pub async fn capture_now(
        &mut self,
        stem: &str,
        step: &Step,
        status: &str,
    ) -> (Vec<String>, Option<String>) {
        let (mut files, url) = self.capture(stem, step, status, false).await;
        files.extend(self.settled(step.number).await);
        (files, url)
    }

    /// Writes the screenshot being stamped and returns its name, when it is step `number`'s.
    async fn settled(&mut self, number: usize) -> Option<String> {
        self.settle_evidence().await;
        let i = self.late_files.iter().rposition(|(n, _)| *n == number)?;
        Some(self.late_files.remove(i).1)
    }

    /// Writes the screenshot still being stamped, if there is one; its name joins its
    /// step's files when the record is next written (`attach_late_files`).
    pub async fn settle_evidence(&mut self) {
        let Some(shot) = self.pending.take() else {
            return;
        };
        match shot.stamping.await {
            Ok(None) => {}
            Ok(Some(png)) => match self.recorder.file(&shot.name, &png) {
                Ok(name) => self.late_files.push((shot.step, name)),
                Err(e) => tracing::warn!("{e}"),
            },
            Err(e) => tracing::warn!("stamping the screenshot of step {}: {e}", shot.step),
        }
    }

    /// The files written after their step was recorded, added to that step's entry.
    pub fn attach_late_files(&mut self, record: &mut RunRecord) {
        for (number, name) in self.late_files.drain(..) {
            if let Some(step) = record.steps.iter_mut().rev().find(|s| s.number == number) {
                step.files.push(name);
            }
        }
    }

    fn stamp(&self, step: &Step, status: &str, url: &str) -> Stamp {
        let plan = self.plan;
        let now = chrono::Local::now();
        let account = plan
            .account
            .as_deref()
            .map(|a| format!(" · 账号 {}", mask_account(a)))
            .unwrap_or_default();
        let lines = [
            format!(
                "时间 Time   {} (UTC{})",
                now.format("%Y-%m-%d %H:%M:%S%.3f"),
                now.format("%:z")
            ),
            format!(
                "平台 Platform   {} ({}){account}",
                plan.name,
                plan.carrier.as_str()
            ),
            format!(
                "步骤 Step   {}/{} {} {} — {status}",
                step.number,
                plan.steps.len(),
                step.kind(),
                step.action.describe()
            ),
            format!("网址 URL   {url}"),
            format!(
                "jieyue {} · {}",
                env!("CARGO_PKG_VERSION"),
                if self.opts.dry_run {
                    "dry-run (演练，未做任何更改)"
                } else {
                    "run"
                }
            ),
        ];
        Stamp {
            lines: lines.iter().map(|l| self.redactor.redact(l)).collect(),
        }
    }

    pub(super) async fn remove_outline(&self) {
        // The outline is in the picture being taken: it stays until the picture is done.
        self.browser.settle_capture().await;
        let _ = self.browser.execute(REMOVE_OUTLINE_JS, vec![]).await;
    }

    pub(super) async fn outline(&self, found: &FoundRecord, what: &str) -> bool {
        let label = format!("{what}: {} · {}", found.text, found.intent.as_str());
        self.on_found(OUTLINE_JS, found, json!(label)).await
    }

    /// Runs `js` (after FIND_JS) on the found element, with one more argument.
    async fn on_found(&self, js: &str, found: &FoundRecord, extra: serde_json::Value) -> bool {
        let script = format!("{FIND_JS}{js}");
        self.browser
            .execute(
                &script,
                vec![
                    json!(found.frame),
                    json!(found.shadow),
                    json!(found.css),
                    extra,
                ],
            )
            .await
            .map(|v| v.as_bool().unwrap_or(false))
            .unwrap_or(false)
    }
}

#[derive(serde::Deserialize)]
struct Dom {
    url: String,
    html: String,
}

/// Draws the outline in the top document, over an element that may sit in frames and shadow
/// roots: the frames' offsets are added up on the way down.
/// Finds an element that may sit in frames and shadow roots, from the top document; the
/// frames' offsets are added up on the way down. Defines `found` = {el, ox, oy} or null.
const FIND_JS: &str = r#"
const [frames, hosts, css] = arguments;
const found = (() => {
  let win = window, ox = 0, oy = 0;
  for (const i of frames) {
    const next = win.frames[i];
    if (!next || !next.frameElement) return null;
    const fe = next.frameElement, fr = fe.getBoundingClientRect();
    ox += fr.left + fe.clientLeft; oy += fr.top + fe.clientTop;
    win = next;
  }
  let root = win.document;
  for (const host of hosts) {
    const h = root.querySelector(host);
    if (!h || !h.shadowRoot) return null;
    root = h.shadowRoot;
  }
  const el = root.querySelector(css);
  return el ? { el, ox, oy } : null;
})();
"#;

/// Draws the outline in the top document over the found element, with its label.
const OUTLINE_JS: &str = r#"
if (!found) return false;
const { el, ox, oy } = found, label = arguments[3];
const r = el.getBoundingClientRect();
const box = document.createElement('div');
box.id = 'jieyue-outline';
box.style.cssText = 'position:absolute;z-index:2147483647;pointer-events:none;border:3px solid #d600d6;border-radius:4px;box-shadow:0 0 0 3px rgba(214,0,214,.25)';
box.style.left = (ox + r.left + scrollX - 4) + 'px'; box.style.top = (oy + r.top + scrollY - 4) + 'px';
box.style.width = (r.width + 8) + 'px'; box.style.height = (r.height + 8) + 'px';
const tag = document.createElement('div');
tag.textContent = 'jieyue: ' + label;
tag.style.cssText = 'position:absolute;left:-3px;top:-24px;background:#d600d6;color:#fff;font:12px sans-serif;padding:2px 6px;border-radius:3px;white-space:nowrap';
if (ox + r.left + r.width / 2 > innerWidth / 2) { tag.style.left = 'auto'; tag.style.right = '-3px'; }
box.appendChild(tag);
document.body.appendChild(box);
return true;
"#;

/// Shows a typed code as dots for the screenshot (arguments[3]: on or off). The value in
/// the page is not touched.
const MASK_JS: &str = r#"
if (!found) return false;
if (arguments[3]) found.el.style.setProperty('-webkit-text-security', 'disc');
else found.el.style.removeProperty('-webkit-text-security');
return true;
"#;

const REMOVE_OUTLINE_JS: &str =
    "const b = document.getElementById('jieyue-outline'); if (b) b.remove();";

/// The page as HTML for the evidence folder, from a copy (the page itself is not touched):
/// input and textarea values removed, checkbox and radio states kept as `checked`
/// attributes (they show a switch's state), scripts dropped, open shadow roots written as
/// declarative templates, same-origin frames inlined as `srcdoc`, and a policy that keeps
/// the file from loading anything when opened.
const DOM_JS: &str = r#"
const clean = (orig, copy) => {
  const a = orig.querySelectorAll('*'), b = copy.querySelectorAll('*');
  const drop = [];
  for (let i = 0; i < a.length && i < b.length; i++) {
    const o = a[i], c = b[i], tag = o.tagName;
    if (tag === 'INPUT') {
      c.removeAttribute('value');
      if (o.type === 'checkbox' || o.type === 'radio') {
        if (o.checked) c.setAttribute('checked', ''); else c.removeAttribute('checked');
      }
    } else if (tag === 'TEXTAREA') {
      c.textContent = '';
    } else if (tag === 'SCRIPT' || tag === 'NOSCRIPT' || o.id === 'jieyue-outline') {
      drop.push(c);
      continue;
    } else if (tag === 'IFRAME') {
      try {
        const d = o.contentDocument;
        if (d && d.documentElement) {
          c.setAttribute('srcdoc', page(d));
          c.removeAttribute('src');
        }
      } catch (e) {}
    }
    if (o.shadowRoot) {
      const holder = document.createElement('div');
      for (const n of o.shadowRoot.childNodes) holder.appendChild(n.cloneNode(true));
      clean(o.shadowRoot, holder);
      const t = document.createElement('template');
      t.setAttribute('shadowrootmode', 'open');
      t.innerHTML = holder.innerHTML;
      c.insertBefore(t, c.firstChild);
    }
  }
  for (const c of drop) c.remove();
};
const page = (doc) => {
  const copy = doc.documentElement.cloneNode(true);
  clean(doc.documentElement, copy);
  const head = copy.querySelector('head');
  if (head) {
    const csp = doc.createElement('meta');
    csp.setAttribute('http-equiv', 'Content-Security-Policy');
    csp.setAttribute('content', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    head.insertBefore(csp, head.firstChild);
  }
  return '<!DOCTYPE html>\n' + copy.outerHTML;
};
return { url: location.href, html: page(document) };
"#;

/// An http(s) page, the blank page a session starts on, or the browser's page for a site
/// that cannot be reached (evidence that it could not).
fn is_web_page(url: &str) -> bool {
    url.starts_with("chrome-error://") || super::steps::page_address_is_web(url)
}
