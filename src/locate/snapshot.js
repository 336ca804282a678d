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
const ON_CLASS = /(^|[\s_-])(on|active|checked|is-checked|open|enabled)([\s_-]|$)/i;

function norm(s) { return (s || '').replace(/\s+/g, ' ').trim(); }
function clip(s) { s = norm(s); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s; }

function cssPath(el) {
  const root = el.getRootNode();
  if (el.id && root.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
  const parts = [];
  let node = el;
  while (node && node.nodeType === 1) {
    if (node.id && root.querySelectorAll('#' + CSS.escape(node.id)).length === 1) { parts.unshift('#' + CSS.escape(node.id)); break; }
    const tag = node.tagName.toLowerCase();
    const parent = node.parentElement;
    if (!parent) { parts.unshift(tag); break; }
    let n = 1;
    for (let s = node.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === node.tagName) n++;
    parts.unshift(tag + ':nth-of-type(' + n + ')');
    node = parent;
  }
  return parts.join(' > ');
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
  const d = el.closest(DIALOG_SEL);
  if (!d) return null;
  let title = '';
  const by = d.getAttribute('aria-labelledby');
  if (by) { const t = d.ownerDocument.getElementById(by); if (t) title = t.textContent; }
  if (!title) { const h = d.querySelector('h1,h2,h3,h4,.title,[class*=title]'); if (h) title = h.textContent; }
  return { title: clip(title), text: clip(d.innerText || d.textContent) };
}

function sectionOf(el) {
  for (let node = el.parentElement, hops = 0; node && hops < 8; node = node.parentElement, hops++) {
    const h = node.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > .title');
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
  if (style.display === 'none' || (el.checkVisibility && !el.checkVisibility())) return 'display: none';
  if (style.visibility === 'hidden' || style.visibility === 'collapse') return 'visibility: hidden';
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    if (parseFloat(win.getComputedStyle(n).opacity) === 0) return 'opacity: 0';
  }
  if (rect.width < 1 || rect.height < 1) return 'zero size';
  const doc = el.ownerDocument.documentElement;
  if (rect.right + win.scrollX < 0 || rect.bottom + win.scrollY < 0 || rect.left + win.scrollX > Math.max(doc.scrollWidth, win.innerWidth) + 50) return 'off-screen';
  return null;
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
  if (/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY|LABEL|OPTION)$/.test(tag)) return tag !== 'A' || el.hasAttribute('href') || el.hasAttribute('onclick') || style.cursor === 'pointer';
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
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) checked = el.checked;
  else if (el.hasAttribute('aria-checked')) checked = el.getAttribute('aria-checked') === 'true';
  else if (el.hasAttribute('aria-pressed')) checked = el.getAttribute('aria-pressed') === 'true';
  else if (isSwitch) checked = ON_CLASS.test(typeof el.className === 'string' ? el.className : '');
  return { isSwitch, checked };
}

function consider(el, frame, shadow, win, offset, forced) {
  const style = win.getComputedStyle(el);
  const interactive = isInteractive(el, style);
  const own = ownText(el);
  if (!interactive && !own && !forced) return;
  if (/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|HEAD|TITLE|META|HTML|BODY)$/.test(el.tagName)) return;
  const rect = el.getBoundingClientRect();
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || '').toLowerCase();
  const editable = (tag === 'input' && !/^(button|submit|reset|checkbox|radio|hidden|image|file|range|color)$/.test(type)) || tag === 'textarea' || el.isContentEditable;
  const buttonValue = tag === 'input' && /^(button|submit|reset)$/.test(type) ? el.value : '';
  const text = interactive ? clip(buttonValue || el.innerText || el.textContent || el.getAttribute('alt') || '') : clip(own);
  const hiddenReason = visibility(el, style, rect, win);
  const sw = switchState(el, style);
  const cls = typeof el.className === 'string' ? el.className : '';
  const c = {
    idx: out.length, tag, role: el.getAttribute('role') || '', type,
    text, label: editable || sw.isSwitch ? labelOf(el, sw.isSwitch) : '', placeholder: el.getAttribute('placeholder') || '',
    aria: clip(el.getAttribute('aria-label') || ''), title: clip(el.getAttribute('title') || ''),
    id: el.id || '', class: cls.slice(0, 120), href: (el.getAttribute('href') || '').slice(0, 200), name: el.getAttribute('name') || '',
    css: cssPath(el), frame, shadow,
    x: Math.round(rect.left + offset.x), y: Math.round(rect.top + offset.y), w: Math.round(rect.width), h: Math.round(rect.height),
    visible: hiddenReason === null, hidden_reason: hiddenReason,
    enabled: !(el.disabled || el.getAttribute('aria-disabled') === 'true'),
    interactive, editable, switch_like: sw.isSwitch, checked: sw.checked,
    on_top: hiddenReason === null ? onTop(el, rect, win) : false,
    dialog: dialogOf(el), section: sectionOf(el), row: rowOf(el)
  };
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

walk(document, [], [], window, { x: 0, y: 0 });
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
for (const d of document.querySelectorAll(DIALOG_SEL)) {
  const style = getComputedStyle(d), r = d.getBoundingClientRect();
  if (style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0) dialogs.push(clip(d.innerText));
}
return {
  url: location.href, title: document.title,
  text: (document.body ? document.body.innerText : '') + '\n' + texts.join('\n'),
  candidates: out, css: cssHits, dialogs,
  viewport: { w: window.innerWidth, h: window.innerHeight, scroll_y: window.scrollY }
};
