// One round trip: every candidate of the page (frames and open shadow roots included) with
// what the engine needs to judge it. Input: arguments[0] = {css: [selectors to resolve]}.
// Never returns the value of a text or password input.
const opts = arguments[0] || {};
const MAX_TEXT = 200;
const out = [];
const cssHits = {};
const texts = [];
const dialogs = [];
const seen = new Map();
const CLICK_ROLES = /^(button|link|switch|checkbox|radio|tab|menuitem|menuitemcheckbox|menuitemradio|option|combobox)$/;
const DIALOG_SEL = 'dialog,[role=dialog],[role=alertdialog],[aria-modal=true],.modal,.dialog,.popup,.sheet,.actionsheet,.van-dialog,.el-dialog,.ant-modal';
const SWITCH_CLASS = /(^|[\s_-])(switch|toggle)([\s_-]|$)/i;
const ON_CLASS = /(^|[\s_-])(on|active|checked|is-checked|open|enabled|onswitch|switchon)([\s_-]|$)/i;

const FOLD = new Map();
for (let i = 0; i + 1 < (opts.fold || '').length; i += 2) FOLD.set(opts.fold[i], opts.fold[i + 1]);
const WORDS = (opts.words || []).filter(w => w);
const pathMemo = new Map();
const opacityMemo = new Map();
const dialogMemo = new Map();

function norm(s) { return (s || '').replace(/\s+/g, ' ').trim(); }
// The same folding as lexicon::normalize: half-width, lower case, simplified, no spaces or
// decorations; used only to decide which plain texts are worth returning.
function fold(s) {
  s = (s || '').normalize('NFKC').toLowerCase().replace(/[\s▾▼›»>〉→·•“”"「」!！?？。,，~←↗⇗‹<〈]/g, '');
  let out = '';
  for (const ch of s) out += FOLD.get(ch) || ch;
  return out;
}
// Every character that can appear in a text that folds to one of the words (traditional,
// upper-case and full-width forms too): a cheap native test before any folding.
const CHARSET = (() => {
  if (!WORDS.length) return null;
  const chars = new Set();
  const inverse = new Map();
  for (const [t, sc] of FOLD) { if (!inverse.has(sc)) inverse.set(sc, []); inverse.get(sc).push(t); }
  for (const w of WORDS) for (const ch of w) {
    chars.add(ch);
    for (const t of inverse.get(ch) || []) chars.add(t);
    const up = ch.toUpperCase();
    chars.add(up);
    for (const c of [ch, up]) { const code = c.charCodeAt(0); if (code > 0x20 && code < 0x7f) chars.add(String.fromCharCode(code + 0xFEE0)); }
  }
  const esc = [...chars].map(c => c.replace(/[\\\]\[^-]/g, '\\$&')).join('');
  return new RegExp('[' + esc + ']');
})();

function matchesWords(...texts) {
  if (!WORDS.length) return false;
  for (const t of texts) {
    if (!t || !CHARSET.test(t)) continue;
    const f = fold(t);
    if (!f) continue;
    for (const w of WORDS) {
      if (f.includes(w)) return true;
      if (f.length >= 2 && 3 * f.length >= 2 * w.length && w.includes(f)) return true;
    }
  }
  return false;
}
function clip(s) { s = norm(s); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s; }

function cssPath(el) {
  if (pathMemo.has(el)) return pathMemo.get(el);
  const root = el.getRootNode();
  let path;
  if (el.id && root.querySelectorAll('#' + CSS.escape(el.id)).length === 1) path = '#' + CSS.escape(el.id);
  else {
    const tag = el.tagName.toLowerCase();
    const parent = el.parentElement;
    if (!parent) path = tag;
    else {
      let n = 1;
      for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === el.tagName) n++;
      path = cssPath(parent) + ' > ' + tag + ':nth-of-type(' + n + ')';
    }
  }
  pathMemo.set(el, path);
  return path;
}

function labelOf(el, switchLike) {
  const parts = [];
  if (el.labels) for (const l of el.labels) parts.push(l.innerText || l.textContent);
  const by = el.getAttribute('aria-labelledby');
  if (by) for (const id of by.split(/\s+/)) { const l = el.ownerDocument.getElementById(id); if (l) parts.push(l.textContent); }
  if (switchLike && !parts.length && !norm(el.innerText || el.textContent) && el.parentElement) {
    // An image checkbox or a bare switch: the words beside it in its row.
    const t = norm(el.parentElement.innerText || el.parentElement.textContent);
    if (t.length <= 60) parts.push(t);
  }
  return clip(parts.join(' '));
}

function dialogOf(el) {
  const d = openDialogOf(el);
  if (!d) return null;
  if (dialogMemo.has(d)) return dialogMemo.get(d);
  let title = '';
  const by = d.getAttribute('aria-labelledby');
  if (by) { const t = d.ownerDocument.getElementById(by); if (t) title = t.textContent; }
  if (!title) { const h = d.querySelector('h1,h2,h3,h4,.title,[class*=title]'); if (h) title = h.textContent; }
  const ctx = { title: clip(title), text: clip(d.innerText || d.textContent) };
  dialogMemo.set(d, ctx);
  return ctx;
}

function sectionOf(el) {
  for (let node = el.parentElement, hops = 0; node && hops < 8; node = node.parentElement, hops++) {
    // The first heading inside it that is not the element itself (a card's header holds its
    // title one level down).
    const h = node.querySelector('h1, h2, h3, h4, .title');
    if (h && !h.contains(el)) return clip(h.textContent);
  }
  return '';
}

function rowOf(el) {
  // The smallest enclosing block that says more than the element itself: a row, a card.
  const own = norm(el.innerText || el.textContent);
  for (let node = el.parentElement, hops = 0; node && hops < 5; node = node.parentElement, hops++) {
    const t = norm(node.innerText || node.textContent);
    if (t.length > own.length + 1) return t.length > 300 ? t.slice(0, 300) : t;
  }
  return '';
}

function visibility(el, style, rect, win) {
  if (el.hidden || el.closest('[hidden]')) return 'hidden attribute';
  if (el.closest('[inert]')) return 'inert';
  if (el.closest('[aria-hidden=true]')) return 'aria-hidden';
  if (style.display === 'none' || (el.checkVisibility && !el.checkVisibility())) return 'display: none';
  if (style.visibility === 'hidden' || style.visibility === 'collapse') return 'visibility: hidden';
  if (transparent(el, win)) return 'opacity: 0';
  if (rect.width < 1 || rect.height < 1) return 'zero size';
  const doc = el.ownerDocument.documentElement;
  if (rect.right + win.scrollX < 0 || rect.bottom + win.scrollY < 0 || rect.left + win.scrollX > Math.max(doc.scrollWidth, win.innerWidth) + 50) {
    // Inside a box that scrolls (a wide table on a phone), a person scrolls to it.
    for (let a = el.parentElement; a; a = a.parentElement) {
      const st = win.getComputedStyle(a);
      if (/(auto|scroll)/.test(st.overflowX + st.overflowY)) return null;
    }
    return 'off-screen';
  }
  return null;
}

function transparent(el, win) {
  if (!el || el.nodeType !== 1) return false;
  if (opacityMemo.has(el)) return opacityMemo.get(el);
  const t = parseFloat(win.getComputedStyle(el).opacity) === 0 || transparent(el.parentElement, win);
  opacityMemo.set(el, t);
  return t;
}

function onTop(el, rect, win) {
  const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
  if (x < 0 || y < 0 || x > win.innerWidth || y > win.innerHeight) return null;
  const root = el.getRootNode();
  const hit = (root.elementFromPoint ? root : el.ownerDocument).elementFromPoint(x, y);
  if (!hit) return false;
  return hit === el || el.contains(hit) || hit.contains(el) || (el.labels && [...el.labels].some(l => l.contains(hit)));
}

function isInteractive(el, style) {
  const tag = el.tagName;
  if (/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY|LABEL|OPTION)$/.test(tag)) return tag !== 'A' || el.hasAttribute('href') || el.hasAttribute('onclick') || CLICK_ROLES.test(el.getAttribute('role') || '') || style.cursor === 'pointer';
  const role = el.getAttribute('role');
  if (role && CLICK_ROLES.test(role)) return true;
  if (el.hasAttribute('onclick') || el.isContentEditable) return true;
  if (el.tabIndex >= 0 && el.hasAttribute('tabindex')) return true;
  if (style.cursor === 'pointer') {
    const p = el.parentElement;
    return !(p && el.ownerDocument.defaultView.getComputedStyle(p).cursor === 'pointer');
  }
  return false;
}

function ownText(el) {
  let t = '';
  for (const n of el.childNodes) if (n.nodeType === 3) t += n.textContent;
  return norm(t);
}

function switchState(el, style) {
  const role = el.getAttribute('role');
  const isSwitch = role === 'switch' || (el.tagName === 'INPUT' && el.type === 'checkbox') || role === 'checkbox' || SWITCH_CLASS.test(el.className && el.className.baseVal === undefined ? el.className : '');
  let checked = null;
  // A styled switch that wraps or labels a real checkbox (WeUI, Bootstrap form-switch): the
  // checkbox says the state, whatever the classes around it say.
  // layui and the like draw the switch as the next sibling of the (hidden) checkbox.
  const before = el.previousElementSibling;
  const sibling = isSwitch && before && before.tagName === 'INPUT' && before.type === 'checkbox' ? before : null;
  const inner = el.tagName === 'INPUT' ? null : (el.tagName === 'LABEL' && el.control) || (isSwitch || el.tagName === 'LABEL' ? el.querySelector('input[type=checkbox]') : null) || sibling;
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) checked = el.checked;
  else if (inner && inner.type === 'checkbox' && (isSwitch || SWITCH_CLASS.test(typeof inner.className === 'string' ? inner.className : ''))) return { isSwitch: true, checked: inner.checked, input: cssPath(inner) };
  else if (el.hasAttribute('aria-checked')) checked = el.getAttribute('aria-checked') === 'true';
  else if (el.hasAttribute('aria-pressed')) checked = el.getAttribute('aria-pressed') === 'true';
  else if (isSwitch) {
    // The classes say on (is-checked, van-switch--on); a switch that writes its state (开启 /
    // 关闭, ON / OFF) says it in words.
    const words = norm(el.innerText || el.textContent).toLowerCase();
    checked = ON_CLASS.test(typeof el.className === 'string' ? el.className : '') || /^(开启|开|on|已开启)$/.test(words);
    if (/^(关闭|关|off|已关闭)$/.test(words)) checked = false;
  }
  return { isSwitch, checked };
}

// Elements inside a dialog, modal or sheet, collected once per document or shadow root.
const dialogMembers = new Map();
function inDialog(el) {
  if (layers.size && openDialogOf(el)) return true;
  const root = el.getRootNode();
  let members = dialogMembers.get(root);
  if (!members) {
    members = new Set();
    for (const d of root.querySelectorAll(DIALOG_SEL)) { members.add(d); for (const e of d.querySelectorAll('*')) members.add(e); }
    dialogMembers.set(root, members);
  }
  return members.has(el);
}

// The page's structure: every ancestor of a candidate, once, with the words it holds.
const blocks = [];
const blockMemo = new Map();
const frameOwner = new Map();
function up(el) {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode && el.getRootNode();
  if (root && root.host) return root.host;
  return frameOwner.get(el.ownerDocument) || null;
}
function blockOf(el) {
  if (!el || el.nodeType !== 1 || el.tagName === 'HTML') return null;
  if (blockMemo.has(el)) return blockMemo.get(el);
  const parent = blockOf(up(el));
  const b = { parent, tag: el.tagName.toLowerCase() };
  const raw = el.textContent || '';
  if (raw.length > 4000) b.big = true;
  else { const t = el.innerText === undefined ? raw : el.innerText; b.text = clipTo(t, 400); }
  if (isDialogRoot(el)) b.dialog = true;
  // Items of a list share their tag and classes (one card of several, a table row). Two
  // layout columns that share them are taken for items too: reading stops early, and an
  // early stop says unknown, never another item's state.
  const cls = el.getAttribute('class') || '';
  let peers = 1;
  if (el.parentElement) for (const s of el.parentElement.children) if (s !== el && s.tagName === el.tagName && (s.getAttribute('class') || '') === cls) peers++;
  if (peers > 1) b.peers = peers;
  if (el.tagName === 'TR' && b.text !== undefined) { const t = rowPairs(el); if (t) b.text = clipTo(t, 400); }
  blockMemo.set(el, blocks.length);
  blocks.push(b);
  return blockMemo.get(el);
}
// A table row read with its column headers: "Auto Rebill Enabled Next Billing Jan 5".
function rowPairs(tr) {
  const table = tr.closest('table');
  if (!table) return '';
  const head = table.querySelector('thead tr') || table.querySelector('tr');
  if (!head || head === tr || !head.querySelector('th')) return '';
  const names = [...head.children].map(c => norm(c.innerText || c.textContent));
  return [...tr.children].map((c, i) => ((names[i] || '') + ' ' + norm(c.innerText || c.textContent)).trim()).join(' ');
}
function clipTo(s, n) { s = norm(s); return s.length > n ? s.slice(0, n) : s; }

// Dialogs by what they do: a layer fixed over the page that covers its centre, or any fixed
// layer with controls while a dimming backdrop covers the page. Probed at a few points, so a
// page of any size costs the same.
const layers = new Set();
let backdrop = false;
function alpha(color) {
  const m = /rgba?\(([^)]*)\)/.exec(color || '');
  if (!m) return color === 'transparent' ? 0 : 1;
  const parts = m[1].split(/[,\s/]+/).filter(Boolean);
  return parts.length >= 4 ? parseFloat(parts[3]) : 1;
}
const CONTROL_SEL = 'a[href],button,input,select,textarea,[role=button],[role=radio],[role=checkbox],[role=switch],[onclick],[tabindex]';
function findLayers() {
  const W = window.innerWidth, H = window.innerHeight;
  const seenLayer = new Map();
  const points = [[0.5, 0.5], [0.5, 0.3], [0.5, 0.7], [0.5, 0.88], [0.3, 0.5], [0.7, 0.5], [0.5, 0.15]];
  for (const [fx, fy] of points) {
    const hit = document.elementFromPoint(W * fx, H * fy);
    let layer = null;
    for (let n = hit; n && n !== document.body && n !== document.documentElement; n = up(n)) {
      const st = getComputedStyle(n);
      if (st.position === 'fixed') layer = n;
    }
    if (layer && !seenLayer.has(layer)) seenLayer.set(layer, [fx, fy]);
  }
  const found = [];
  for (const [el, [fx, fy]] of seenLayer) {
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    const area = Math.max(0, Math.min(r.right, W) - Math.max(r.left, 0)) * Math.max(0, Math.min(r.bottom, H) - Math.max(r.top, 0)) / (W * H);
    const dim = (alpha(st.backgroundColor) > 0.05 && alpha(st.backgroundColor) < 0.95) || (st.backdropFilter && st.backdropFilter !== 'none');
    const controls = !!el.querySelector(CONTROL_SEL);
    if (area >= 0.7 && dim) backdrop = true;
    found.push({ el, area, dim, controls, centre: fx === 0.5 && fy === 0.5 });
  }
  // A dimming backdrop may lie under a transparent full-window wrapper (iView, Element):
  // the top-level layers are looked at too.
  if (!backdrop && document.body) for (const el of document.body.children) {
    const st = getComputedStyle(el);
    if (st.position !== 'fixed' || st.display === 'none' || st.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    const area = Math.max(0, Math.min(r.right, W) - Math.max(r.left, 0)) * Math.max(0, Math.min(r.bottom, H) - Math.max(r.top, 0)) / (W * H);
    const a = alpha(st.backgroundColor);
    if (area >= 0.7 && a > 0.05 && a < 0.95 && parseFloat(st.opacity) > 0) backdrop = true;
  }
  for (const f of found) {
    if (!f.controls) continue;
    // A fixed layer as large as the window and opaque is the page itself (an app shell),
    // unless the page behind it is dimmed.
    if (f.area >= 0.9 && !f.dim && !backdrop) continue;
    if (f.centre || backdrop || f.dim) layers.add(f.el);
  }
}
function isDialogRoot(el) {
  if (layers.has(el)) return true;
  if (!el.matches || !el.matches(DIALOG_SEL)) return false;
  const st = getComputedStyle(el);
  return st.display !== 'none' && st.visibility !== 'hidden';
}
function openDialogOf(el) {
  for (let n = el; n; n = up(n)) if (n.nodeType === 1 && (layers.has(n) || (n.matches && n.matches(DIALOG_SEL)))) return n;
  return null;
}

const LIKELY = /^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY|LABEL|OPTION)$/;
// Without computing any style: could this element be the target, or part of what the engine
// judges around it (a switch, a checkbox, a dialog)?
function relevant(el) {
  const role = el.getAttribute('role') || '';
  if (/^(switch|checkbox)$/.test(role) || (el.tagName === 'INPUT' && el.type === 'checkbox')) return true;
  if (SWITCH_CLASS.test(typeof el.className === 'string' ? el.className : '')) return true;
  if (inDialog(el)) return true;
  const clickable = LIKELY.test(el.tagName) || CLICK_ROLES.test(role) || el.hasAttribute('onclick') || el.hasAttribute('tabindex');
  if (!clickable) return false;
  const value = /^(button|submit|reset)$/.test(el.type || '') ? el.value : '';
  const labels = el.labels ? [...el.labels].map(l => l.textContent).join(' ') : '';
  return matchesWords(el.textContent, el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('placeholder'), el.getAttribute('alt'), value, labels);
}

function consider(el, frame, shadow, win, offset, forced) {
  if (/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|HEAD|TITLE|META|HTML|BODY)$/.test(el.tagName)) return;
  const own = ownText(el);
  // Looking for a target: only what could be it, and what the engine judges around it
  // (switches, checkboxes, dialogs), decided before any style is computed. Every
  // interactive element is returned when no words are given.
  const ownMatch = own && matchesWords(own);
  if (WORDS.length && !forced && !ownMatch && !opts.all && !relevant(el)) return;
  const style = win.getComputedStyle(el);
  const interactive = isInteractive(el, style);
  // Plain text is returned only when it carries the words asked for: a page of ten
  // thousand elements stays a small answer.
  if (!interactive && !forced && !ownMatch) return;
  if (!interactive && ownMatch && WORDS.length) {
    // Words in a plain span of a clickable card or row: the clickable ancestor is the target.
    for (let a = el.parentElement, hops = 0; a && hops < 3; a = a.parentElement, hops++) {
      if (!seen.has(a) && isInteractive(a, win.getComputedStyle(a))) { consider(a, frame, shadow, win, offset, true); break; }
    }
  }
  const rect = el.getBoundingClientRect();
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || '').toLowerCase();
  const editable = (tag === 'input' && !/^(button|submit|reset|checkbox|radio|hidden|image|file|range|color)$/.test(type)) || tag === 'textarea' || el.isContentEditable;
  const buttonValue = tag === 'input' && /^(button|submit|reset)$/.test(type) ? el.value : '';
  const text = interactive ? clip(buttonValue || el.innerText || el.textContent || el.getAttribute('alt') || '') : clip(own);
  let hiddenReason = visibility(el, style, rect, win);
  if (hiddenReason === null && modalOpen && !openDialogOf(el)) hiddenReason = 'behind an open dialog';
  const sw = switchState(el, style);
  const cls = typeof el.className === 'string' ? el.className : '';
  const aria = clip(el.getAttribute('aria-label') || ''), title = clip(el.getAttribute('title') || '');
  const label = editable || sw.isSwitch || (tag === 'input' && type === 'radio') ? labelOf(el, sw.isSwitch) : '';
  const placeholder = el.getAttribute('placeholder') || '';
  const dialog = dialogOf(el);
  // Context (row, section) costs layout-aware text: only for what the engine may judge by it.
  const focus = forced || sw.isSwitch || dialog || matchesWords(text, aria, title, label, placeholder);
  const c = { idx: out.length, tag, css: cssPath(el), visible: hiddenReason === null };
  const put = (k, v) => { if (v !== '' && v !== null && v !== false && v !== undefined) c[k] = v; };
  put('role', el.getAttribute('role') || ''); put('type', type); put('text', text); put('label', label);
  put('placeholder', placeholder); put('aria', aria); put('title', title); put('id', el.id || '');
  put('class', cls.slice(0, 120)); put('href', (el.getAttribute('href') || '').slice(0, 200)); put('name', el.getAttribute('name') || '');
  if (frame.length) c.frame = frame;
  if (shadow.length) c.shadow = shadow;
  c.x = Math.round(rect.left + offset.x); c.y = Math.round(rect.top + offset.y); c.w = Math.round(rect.width); c.h = Math.round(rect.height);
  put('hidden_reason', hiddenReason);
  if (el.disabled || el.getAttribute('aria-disabled') === 'true') c.enabled = false;
  put('interactive', interactive); put('editable', editable); put('switch_like', sw.isSwitch);
  // A clickable element that holds other controls is a container (a card, a dialog), never
  // the thing to click.
  if (interactive && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|LABEL|SUMMARY|OPTION)$/.test(el.tagName) && el.querySelector(CONTROL_SEL)) c.container = true;
  if (sw.checked !== null) c.checked = sw.checked;
  if (sw.input) c.for_input = sw.input;
  if (hiddenReason === null) { const top = onTop(el, rect, win); if (top !== null) c.on_top = top; } else c.on_top = false;
  put('dialog', dialog);
  if (focus) { put('section', sectionOf(el)); put('row', rowOf(el)); }
  else if (opts.all && interactive) put('section', sectionOf(el));
  const b = blockOf(up(el));
  if (b !== null) c.block = b;
  seen.set(el, c.idx);
  out.push(c);
}

function walk(root, frame, shadow, win, offset) {
  const all = root.querySelectorAll('*');
  let frameIndex = 0;
  for (const el of all) {
    if (el.tagName === 'IFRAME' || el.tagName === 'FRAME') {
      const index = frameIndex++;
      try {
        const doc = el.contentDocument;
        if (doc && doc.documentElement) {
          frameOwner.set(doc, el);
          const r = el.getBoundingClientRect();
          walk(doc, frame.concat([index]), [], el.contentWindow, { x: offset.x + r.left, y: offset.y + r.top });
          const t = norm(doc.body ? doc.body.innerText : '');
          if (t) texts.push(t);
        }
      } catch (e) { /* cross-origin: not ours to read */ }
      continue;
    }
    consider(el, frame, shadow, win, offset, false);
    if (el.shadowRoot) {
      walk(el.shadowRoot, frame, shadow.concat([cssPath(el)]), win, offset);
      const t = norm(el.shadowRoot.textContent);
      if (t) texts.push(t);
    }
  }
}

const t0 = performance.now();
// How long the DOM has been still: an observer set on the first look, read on the next.
let quiet = null;
if (!window.__jieyueQuiet) {
  window.__jieyueQuiet = { last: performance.now() };
  try { new MutationObserver(() => { window.__jieyueQuiet.last = performance.now(); }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true }); } catch (e) { /* no observer */ }
  quiet = 0;
} else quiet = performance.now() - window.__jieyueQuiet.last;
if (!opts.text_only) findLayers();
let modalOpen = false;
if (!opts.text_only) {
  if (layers.size) modalOpen = true;
  for (const d of document.querySelectorAll('dialog[open],[aria-modal=true]')) {
    const st = getComputedStyle(d), r = d.getBoundingClientRect();
    if (st.display !== 'none' && st.visibility !== 'hidden' && r.width > 0 && r.height > 0 && !d.closest('[aria-hidden=true]')) { modalOpen = true; layers.add(d); }
  }
}
if (!opts.text_only) walk(document, [], [], window, { x: 0, y: 0 });
else for (const el of document.querySelectorAll('*')) {
  if (el.shadowRoot) { const t = norm(el.shadowRoot.textContent); if (t) texts.push(t); }
  if (el.tagName !== 'IFRAME' && el.tagName !== 'FRAME') continue;
  try { const t = norm(el.contentDocument && el.contentDocument.body ? el.contentDocument.body.innerText : ''); if (t) texts.push(t); } catch (e) { /* cross-origin */ }
}
for (const sel of (opts.css || [])) {
  const hits = [];
  try {
    for (const el of document.querySelectorAll(sel)) {
      if (!seen.has(el)) consider(el, [], [], window, { x: 0, y: 0 }, true);
      hits.push(seen.get(el));
    }
  } catch (e) { cssHits[sel] = null; continue; }
  cssHits[sel] = hits;
}
const dialogEls = new Set(layers);
for (const d of document.querySelectorAll(DIALOG_SEL)) {
  const style = getComputedStyle(d), r = d.getBoundingClientRect();
  if (style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0 && !d.closest('[aria-hidden=true]') && ![...dialogEls].some(o => o.contains(d))) dialogEls.add(d);
}
for (const d of dialogEls) dialogs.push(clip(d.innerText));
return {
  url: location.href, title: document.title,
  text: opts.text_only ? (document.body ? document.body.innerText : '') + '\n' + texts.join('\n') : '',
  candidates: out, css: cssHits, dialogs, blocks, quiet_ms: quiet, took_ms: performance.now() - t0,
  viewport: { w: window.innerWidth, h: window.innerHeight, scroll_y: window.scrollY }
};
