// On-screen keyboard, docked at the bottom of the window. Runs in Qt's isolated ApplicationWorld
// with the toolbar: page scripts cannot see it, its closed shadow root or what it types. It types
// with the page's own editing command (execCommand insertText: the same trusted `beforeinput` and
// `input` events a real key gives, so framework-controlled fields see the value), keeps the
// field's focus (no key takes focus) and keeps the field above itself. Nothing typed leaves the
// page: no bridge call, no log. Python replaces the placeholders (keyboard.py).
(function () { try { main(); } catch (e) { console.log("kiosk keyboard failed: " + e.name); }
function main() {
  "use strict";
  const incoming = __KIOSK_STATE__;
  if (window.__kioskKeyboard) { window.__kioskKeyboard.update(incoming); return; }
  /*__LIBRARY__*/
  const DATA = __KEYBOARD_DATA__;
  let state = incoming;
  let keyboard = null;      // the simple-keyboard instance, built on first opening
  let layout = null;        // "fr" or "ar": the letters shown
  let layer = "default";    // "default", "shift" or "accents"
  let locked = false;       // caps lock
  let shownLanguage = null; // the resident's language the labels were made for
  let lastField = null;     // the field last focused, typed into if focus went elsewhere

  const host = document.createElement("kiosk-keyboard");
  const root = host.attachShadow({ mode: "closed" });
  const librarySheet = new CSSStyleSheet();
  librarySheet.replaceSync(LIBRARY_CSS);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
  :host { all: initial !important; }
  #panel { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483647; box-sizing: border-box; background: #1d3557; padding: 8px 10px 10px;
    font: 22px/1.2 "DejaVu Sans", sans-serif; direction: ltr; }
  .simple-keyboard.hg-theme-default { background: transparent; padding: 0; border-radius: 0;
    font-family: inherit; }
  .hg-theme-default .hg-row:not(:last-child) { margin-bottom: 7px; }
  .hg-theme-default .hg-row .hg-button:not(:last-child) { margin-right: 7px; }
  .hg-theme-default .hg-button { height: 50px; background: #ffffff; color: #1d3557;
    border: 0; box-shadow: none; border-radius: 6px; font-size: 22px; padding: 4px; }
  .hg-theme-default .hg-button.hg-functionBtn { background: #dbe4f0; font-size: 19px;
    padding: 4px 12px; }
  .hg-theme-default .hg-button.hg-activeButton { background: #a8dadc; }
  .hg-theme-default .hg-button.kiosk-on { background: #ffb703; }
  .hg-theme-default .hg-button.hg-button-space { flex-grow: 6; }
  .hg-theme-default .hg-button.hg-standardBtn[data-skbtn=".com"],
  .hg-theme-default .hg-button.hg-standardBtn[data-skbtn="@"] { max-width: none; }
  .hg-theme-default .hg-button.hg-button-hide { background: #e63946; color: #fff; }
`);
  const zoomSheet = new CSSStyleSheet();
  root.adoptedStyleSheets = [librarySheet, sheet, zoomSheet];
  const panel = document.createElement("div");
  panel.id = "panel";
  panel.setAttribute("role", "group");
  const board = document.createElement("div");
  board.className = "simple-keyboard";
  panel.appendChild(board);
  root.appendChild(panel);
  // No key may take the focus from the field (mouse, pen or finger).
  for (const kind of ["mousedown", "pointerdown", "touchstart"]) {
    panel.addEventListener(kind, (e) => e.preventDefault(), { capture: true, passive: false });
  }

  const isOpen = () => !!state.keyboard;
  const zoom = () => (Number(state.zoom) > 0 ? Number(state.zoom) : 1);
  const labels = () => DATA.labels[state.language] || DATA.labels.fr;

  // -- the field ---------------------------------------------------------------------------
  const TEXT_TYPES = new Set(["text", "search", "email", "url", "tel", "password", "number", ""]);
  function editable(el) {
    if (!el || el.disabled || el.readOnly) { return false; }
    if (el.isContentEditable) { return true; }
    if (el.localName === "textarea") { return true; }
    return el.localName === "input" && TEXT_TYPES.has((el.type || "").toLowerCase());
  }
  function focused() {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) { el = el.shadowRoot.activeElement; }
    return el;
  }
  function field() {
    const el = focused();
    if (editable(el)) { return el; }
    if (lastField && lastField.isConnected && editable(lastField)) {
      lastField.focus({ preventScroll: true });
      return lastField;
    }
    return null;
  }
  document.addEventListener("focusin", () => {
    const el = focused();
    if (editable(el)) { lastField = el; if (isOpen()) { reveal(el); } }
  }, true);

  function nativeSet(el, value) {
    const proto = el.localName === "textarea" ? HTMLTextAreaElement.prototype
      : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  }
  function insert(el, text) {
    if (document.execCommand("insertText", false, text)) { return; }
    if (el.isContentEditable) { return; }
    // An input the editing command refuses (type=number in some engines): the native setter,
    // then the input event a framework listens to.
    const value = el.value;
    const start = el.selectionStart ?? value.length;
    const end = el.selectionEnd ?? value.length;
    nativeSet(el, value.slice(0, start) + text + value.slice(end));
    el.dispatchEvent(new InputEvent("input",
      { bubbles: true, composed: true, inputType: "insertText", data: text }));
  }
  function erase(el) {
    if (document.execCommand("delete", false)) { return; }
    if (el.isContentEditable || !el.value) { return; }
    const value = el.value;
    const start = el.selectionStart ?? value.length;
    const end = el.selectionEnd ?? value.length;
    const from = start === end ? Math.max(0, start - 1) : start;
    nativeSet(el, value.slice(0, from) + value.slice(end));
    el.dispatchEvent(new InputEvent("input",
      { bubbles: true, composed: true, inputType: "deleteContentBackward" }));
  }
  function key(el, type) {
    return el.dispatchEvent(new KeyboardEvent(type, { key: "Enter", code: "Enter", keyCode: 13,
      which: 13, bubbles: true, cancelable: true, composed: true }));
  }
  function enter(el) {
    if (el.localName === "textarea") { insert(el, "\n"); return; }
    if (el.isContentEditable) { document.execCommand("insertParagraph", false); return; }
    // A page may handle Enter itself (a search box); if it does not cancel it, do what a real
    // Enter does in a form field: click the form's default button, or submit.
    const go = key(el, "keydown");
    key(el, "keyup");
    if (!go || !el.form) { return; }
    const button = el.form.querySelector(
      "button:not([type]), button[type=submit], input[type=submit], input[type=image]");
    if (button) {
      if (!button.disabled) { button.click(); }
    } else {
      el.form.requestSubmit();
    }
  }

  // -- never over the field ---------------------------------------------------------------
  function top() { return location.origin === state.internal_origin ? 0 : state.bar_height / zoom(); }
  function bottom() { return innerHeight - panel.offsetHeight / zoom(); }
  function reveal(el) {
    if (!isOpen() || !el || !el.getBoundingClientRect) { return; }
    const covered = (r) => r.bottom > bottom() - 8 || r.top < top();
    if (!covered(el.getBoundingClientRect())) { return; }
    el.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
    const r = el.getBoundingClientRect();
    if (covered(r)) {
      const middle = (top() + bottom()) / 2;
      window.scrollBy({ top: (r.top + r.bottom) / 2 - middle, behavior: "instant" });
    }
  }

  // -- the keys -----------------------------------------------------------------------------
  function display() {
    const names = { "{lang}": DATA.switch_to[layout] };
    for (const [name, label] of Object.entries(labels())) {
      if (name.startsWith("{")) { names[name] = label; }
    }
    return names;
  }
  function theme() {
    const on = [];
    if (layer === "shift" && !locked) { on.push("{shift}"); }
    if (locked) { on.push("{lock}"); }
    return on.length ? [{ class: "kiosk-on", buttons: on.join(" ") }] : [];
  }
  function show() {
    keyboard.setOptions({ layout: DATA.layouts[layout], layoutName: layer, display: display(),
      buttonTheme: theme() });
    panel.setAttribute("lang", layout);
    panel.setAttribute("aria-label", labels().keyboard);
  }
  function press(button, event) {
    if (event && !event.isTrusted) { return; }
    keyboard.clearInput();  // the library's own copy of the text: never kept
    switch (button) {
      case "{shift}": layer = layer === "shift" ? "default" : "shift"; locked = false; show(); return;
      case "{lock}": locked = !locked; layer = locked ? "shift" : "default"; show(); return;
      case "{accents}": layer = "accents"; locked = false; show(); return;
      case "{abc}": layer = "default"; show(); return;
      case "{lang}": layout = layout === "ar" ? "fr" : "ar"; layer = "default"; locked = false;
        show(); return;
      case "{hide}": state = Object.assign({}, state, { keyboard: false }); ensure();
        if (window.__kiosk && window.__kiosk.keyboard) { window.__kiosk.keyboard(); }
        return;
      default: break;
    }
    if (layer === "shift" && !locked) { layer = "default"; show(); }  // Maj: one key only
    const el = field();
    if (!el) { return; }
    if (button === "{bksp}") { erase(el); } else if (button === "{enter}") { enter(el); }
    else { insert(el, button === "{space}" ? " " : button); }
    if (el.isConnected) { reveal(el); }
  }
  function build() {
    layout = state.language === "ar" ? "ar" : "fr";
    keyboard = new SimpleKeyboard(board, {
      layout: DATA.layouts[layout], layoutName: layer, display: display(), mergeDisplay: false,
      theme: "hg-theme-default", preventMouseDownDefault: true, disableCaretPositioning: true,
      disableButtonHold: true, onKeyPress: press, onChange: () => keyboard.clearInput(),
    });
    shownLanguage = state.language;
    show();
  }

  // -- docking --------------------------------------------------------------------------------
  const HOST_STYLE = { "all": "initial", "display": "block", "position": "fixed", "left": "0",
    "right": "0", "bottom": "0", "z-index": "2147483647", "visibility": "visible",
    "opacity": "1", "transform": "none", "pointer-events": "auto", "filter": "none",
    "clip-path": "none" };
  let HOST_CSS = "";
  let shownZoom = null;
  function styleHost() {
    host.removeAttribute("style");
    for (const [name, value] of Object.entries(HOST_STYLE)) {
      host.style.setProperty(name, value, "important");
    }
    HOST_CSS = host.style.cssText;
  }
  // The page's own inline values, put back when the keyboard closes.
  const PAGE_SPACE = ["padding-bottom", "scroll-padding-top", "scroll-padding-bottom"];
  let saved = null;
  function space(html) {
    const wanted = { "padding-bottom": panel.offsetHeight / zoom() + "px",
      "scroll-padding-top": top() + "px", "scroll-padding-bottom": panel.offsetHeight / zoom() + "px" };
    if (!saved) {
      saved = PAGE_SPACE.map((name) => [name, html.style.getPropertyValue(name),
        html.style.getPropertyPriority(name)]);
    }
    for (const [name, value] of Object.entries(wanted)) {
      if (html.style.getPropertyValue(name) !== value) { html.style.setProperty(name, value, "important"); }
    }
  }
  function unspace(html) {
    if (!saved) { return; }
    for (const [name, value, priority] of saved) {
      if (value) { html.style.setProperty(name, value, priority); } else { html.style.removeProperty(name); }
    }
    saved = null;
  }
  function ensure() {
    const html = document.documentElement;
    if (!html) { return; }
    if (!isOpen()) {
      if (host.isConnected) { host.remove(); }
      unspace(html);
      return;
    }
    if (host.style.cssText !== HOST_CSS) { styleHost(); }
    if (shownZoom !== zoom()) {
      zoomSheet.replaceSync(`:host { zoom: ${1 / zoom()} !important; }`);
      shownZoom = zoom();
    }
    // Just under the toolbar's host, which keeps itself last: the two never fight for a place.
    const last = html.lastElementChild;
    const anchor = last && last !== host && last.localName === "kiosk-bar" ? last : null;
    if (host.parentNode !== html || host.nextElementSibling !== anchor) {
      html.insertBefore(host, anchor);
    }
    space(html);
  }

  const api = {
    update(next) {
      state = next;
      if (isOpen() && !keyboard) { build(); }
      if (keyboard && state.language !== shownLanguage) {
        shownLanguage = state.language;
        layout = state.language === "ar" ? "ar" : "fr";
        layer = "default";
        locked = false;
        show();
      }
      ensure();
      if (isOpen()) {
        const el = focused();
        if (editable(el)) { lastField = el; reveal(el); }
      } else {
        layer = "default";
        locked = false;
      }
    },
  };
  Object.defineProperty(window, "__kioskKeyboard", { value: Object.freeze(api) });
  api.update(state);
  new MutationObserver(ensure).observe(document, { childList: true, subtree: false });
  if (document.documentElement) {
    new MutationObserver(ensure).observe(document.documentElement,
      { childList: true, attributes: true, attributeFilter: ["style"] });
  }
  new MutationObserver(ensure).observe(host, { attributes: true });
  setInterval(ensure, 500);
}
})();
