// Session toolbar and overlays. Runs in Qt's isolated ApplicationWorld: page scripts cannot see
// these globals, the bridge, or the closed shadow root. __KIOSK_STATE__ is replaced by Python.
(function () { try { main(); } catch (e) { console.log("kiosk toolbar failed: " + e + " " + e.stack); }
function main() {
  "use strict";
  if (window.__kiosk) { return; }
  let state = __KIOSK_STATE__;
  let bridge = null;
  const queue = [];
  function call(name) {
    if (bridge) { bridge.call(name); } else { queue.push(name); }
  }
  let pendingRead = null;  // a press before the channel is up (never more than one)
  function read(text, lang) {
    if (bridge) { bridge.read(text, lang); } else { pendingRead = [text, lang]; }
  }
  try {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.kiosk;
      while (queue.length) { bridge.call(queue.shift()); }
      if (pendingRead) { bridge.read(pendingRead[0], pendingRead[1]); pendingRead = null; }
    });
  } catch (e) { /* no bridge: the toolbar still shows */ }

  const host = document.createElement("kiosk-bar");
  const root = host.attachShadow({ mode: "closed" });
  // Styles through CSSOM (a constructed sheet, properties set one by one): a page's
  // Content-Security-Policy blocks inline <style> and style attributes, not CSSOM.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
  :host { all: initial !important; }
  #bar { position: fixed; top: 0; left: 0; right: 0; box-sizing: border-box;
    display: flex; flex-wrap: nowrap; align-items: center; gap: 6px; padding: 6px 8px;
    background: #1d3557; color: #fff; font: 17px/1.2 "DejaVu Sans", sans-serif;
    overflow: hidden; }
  button { font: inherit; border: 0; border-radius: 6px; padding: 8px 12px; cursor: pointer;
    background: #f1faee; color: #1d3557; white-space: nowrap; flex: none; }
  button:focus { outline: 3px solid #ffb703; }
  #end { background: #e63946; color: #fff; margin-inline-start: auto; }
  #time { padding: 0 6px; white-space: nowrap; font-size: 15px; flex: none; }
  /* nine buttons and the time on a narrow screen (1024 px): tighter, never cut */
  #bar.narrow { gap: 4px; padding: 6px 4px; }
  #bar.narrow button { padding: 8px 8px; }
  #items { text-align: start; margin: 0; padding-inline-start: 1.2em; max-width: 40em; }
  #items li { margin: 6px 0; }
  #items:empty { display: none; }
  #overlay { position: fixed; inset: 0; background: rgba(10, 20, 40, 0.92); color: #fff;
    display: flex; flex-direction: column; align-items: center; justify-content: center;
    gap: 24px; text-align: center; font: 24px/1.4 "DejaVu Sans", sans-serif; padding: 40px; }
  #overlay[hidden], #print[hidden] { display: none; }
  #overlay h1 { font-size: 34px; margin: 0; }
  #overlay p { margin: 0; max-width: 40em; }
  #count { font-size: 64px; font-weight: bold; }
  #actions { display: flex; gap: 20px; }
  #actions button { font-size: 24px; padding: 14px 28px; }
`);
  // The page zoom is countered here: in a shadow tree, the :host rule's !important beats the
  // host's own style attribute, so the inverse zoom must be a :host rule too.
  const zoomSheet = new CSSStyleSheet();
  root.adoptedStyleSheets = [sheet, zoomSheet];
  root.innerHTML = `
<div id="bar" role="toolbar">
  <button id="home"></button>
  <button id="documents"></button>
  <button id="print"></button>
  <button id="bigger">A+</button>
  <button id="smaller">A-</button>
  <button id="back"></button>
  <button id="help"></button>
  <button id="listen" aria-pressed="false"></button>
  <button id="keyboard" aria-pressed="false"></button>
  <span id="time"></span>
  <button id="end"></button>
</div>
<div id="overlay" hidden role="dialog" aria-modal="true" aria-labelledby="title">
  <h1 id="title"></h1><p id="text"></p><ul id="items"></ul><div id="count"></div>
  <div id="actions"></div>
</div>`;
  const $ = (id) => root.getElementById(id);
  const overlay = $("overlay");
  let countdown = null;
  let showingWarning = false;

  const T = (key) => (state.texts && state.texts[key]) || key;
  function timeLabel(seconds) {
    if (seconds === null || seconds === undefined) { return ""; }
    if (seconds < 60) { return T("under_minute"); }
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 60) { return T("minutes").replace("{n}", minutes); }
    return T("hours").replace("{h}", Math.floor(minutes / 60))
      .replace("{m}", String(minutes % 60).padStart(2, "0"));
  }
  let shownLanguage = null;
  function render() {
    const dir = state.rtl ? "rtl" : "ltr";
    $("bar").setAttribute("dir", dir);
    overlay.setAttribute("dir", dir);
    $("bar").setAttribute("aria-label", T("toolbar"));
    for (const id of ["home", "documents", "print", "back", "help", "keyboard", "end"]) {
      $(id).textContent = T(id);
    }
    $("bigger").setAttribute("aria-label", T("bigger"));
    $("smaller").setAttribute("aria-label", T("smaller"));
    shownLanguage = state.language;
    showSpeaking();
  }
  function dialog(title, text, buttons, deadline, items) {
    $("title").textContent = title;
    $("text").textContent = text;
    $("items").textContent = "";
    for (const item of items || []) {
      const li = document.createElement("li");
      li.textContent = item;
      $("items").appendChild(li);
    }
    const actions = $("actions");
    actions.textContent = "";
    for (const [label, action] of buttons) {
      const b = document.createElement("button");
      b.textContent = label;
      b.addEventListener("click", (e) => { if (e.isTrusted) { close(); if (action) { call(action); } } });
      actions.appendChild(b);
    }
    clearInterval(countdown);
    showingWarning = false;
    $("count").textContent = "";
    if (deadline) {
      const tick = () => {
        const left = Math.max(0, Math.ceil(deadline - Date.now() / 1000));
        $("count").textContent = left + " s";
      };
      tick();
      countdown = setInterval(tick, 250);
    }
    overlay.hidden = false;
    const first = actions.querySelector("button");
    if (first) { first.focus(); }
  }
  function close() { clearInterval(countdown); overlay.hidden = true; }

  // -- Read aloud ("Écouter"): the text is taken here, in the isolated world, never from a page
  // script; page scripts cannot reach the bridge, and synthetic clicks (isTrusted false) are
  // ignored. The launcher bounds it again, speaks it and forgets it.
  const MAX_READ = 4000;
  let speaking = false;
  let heldSelection = "";
  function selectionText() {
    const selection = document.getSelection();
    return selection ? String(selection).trim() : "";
  }
  function languageOf(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    const tagged = element && element.closest("[lang]");
    return (tagged && tagged.getAttribute("lang")) ||
      (document.documentElement && document.documentElement.lang) || "";
  }
  function pageText() {
    const main = document.querySelector("main, [role=main]") || document.body;
    return main ? [main.innerText, languageOf(main)] : ["", ""];
  }
  function readSelectionOrPage() {
    const selected = heldSelection || selectionText();
    heldSelection = "";
    const selection = document.getSelection();
    const [text, lang] = selected
      ? [selected, languageOf(selection && selection.anchorNode)] : pageText();
    if (text && text.trim()) { read(text.slice(0, MAX_READ), lang); }
  }
  function toggleReading() {
    if (speaking) { call("read_stop"); speaking = false; showSpeaking(); }
    else { readSelectionOrPage(); }
  }
  function onPortal() { return location.origin === state.internal_origin; }
  function portalButtons() {
    return onPortal() ? Array.from(document.querySelectorAll("[data-kiosk-read]")) : [];
  }
  function portalKeyboardButtons() {
    return onPortal() ? Array.from(document.querySelectorAll("[data-kiosk-keyboard]")) : [];
  }
  // The portal's own "Clavier" buttons (beside its search field), like the toolbar's: they keep
  // the focus in the field and open or close the window's keyboard.
  function portalKeyboard() {
    for (const button of portalKeyboardButtons()) {
      button.hidden = false;
      button.addEventListener("mousedown", (e) => e.preventDefault());
      button.addEventListener("click", (e) => { if (e.isTrusted) { call("keyboard"); } });
    }
  }
  function showSpeaking() {
    const on = speaking;  // "Arrêter" while the voice speaks, "Écouter" otherwise
    $("listen").textContent = T(on ? "stop_reading" : "listen");
    $("listen").setAttribute("aria-pressed", String(on));
    for (const button of portalButtons()) {
      const label = button.querySelector("[data-label]") || button;
      const text = button.getAttribute(on ? "data-stop" : "data-listen");
      if (text) { label.textContent = text; }
      button.setAttribute("aria-pressed", String(on));
    }
  }
  function readAloud() {
    const hold = (e) => { if (e.isTrusted) { heldSelection = selectionText(); } };
    $("listen").addEventListener("pointerdown", hold);
    $("listen").addEventListener("click", (e) => { if (e.isTrusted) { toggleReading(); } });
    // The portal's own "Écouter" buttons: shown only when this window can speak.
    for (const button of portalButtons()) {
      button.hidden = false;
      button.addEventListener("pointerdown", hold);
      button.addEventListener("click", (e) => { if (e.isTrusted) { toggleReading(); } });
    }
    // Read-aloud mode on the portal: a tile says its name and description when it gets the
    // focus or the pointer rests on it.
    let resting = null;
    const tileOf = (e) => e.target && e.target.closest && e.target.closest("[data-kiosk-speak]");
    const speakTile = (tile) => {
      if (state.reading && onPortal() && tile) { read(tile.innerText, languageOf(tile)); }
    };
    document.addEventListener("focusin", (e) => { if (e.isTrusted) { speakTile(tileOf(e)); } });
    document.addEventListener("mouseover", (e) => {
      const tile = tileOf(e);
      if (!e.isTrusted || !tile || tile === (resting && resting.tile)) { return; }
      clearTimeout(resting && resting.timer);
      resting = { tile, timer: setTimeout(() => speakTile(tile), 600) };
    });
    document.addEventListener("mouseout", (e) => {
      const tile = tileOf(e);
      if (resting && tile === resting.tile && !tile.contains(e.relatedTarget)) {
        clearTimeout(resting.timer);
        resting = null;
      }
    });
    showSpeaking();
  }

  const kiosk = {
    update(next) {
      state = next;
      if (state.language !== shownLanguage) { render(); }
      showSpeaking();
      const left = timeLabel(state.time_left);
      $("time").textContent = left;
      if (left) { $("time").setAttribute("aria-label", T("time_left").replace("{t}", left)); }
      styleHost();
      ensure();
      $("keyboard").setAttribute("aria-pressed", String(!!state.keyboard));
      for (const button of portalKeyboardButtons()) {
        button.setAttribute("aria-pressed", String(!!state.keyboard));
      }
      $("print").hidden = state.printing === false;
      if (state.warning_kind === "idle") {
        dialog(T("idle_title"), T("idle_text"), [[T("continue"), null]], state.warning_until);
        showingWarning = true;
      } else if (state.warning_kind === "time_limit") {
        dialog(T("limit_title"), T("limit_text"), [[T("understood"), "dismiss"]],
          state.warning_until);
        showingWarning = true;
      } else if (showingWarning) {
        close();
      }
    },
    blocked() {
      dialog(T("blocked_title"), T("blocked_text"), [[T("go_back"), null], [T("home"), "home"]]);
    },
    confirmPrint() {
      dialog(T("print_title"), T("print_text"),
        [[T("print"), "print_confirmed"], [T("cancel"), null]]);
    },
    confirmEnd(documents) {
      const n = Number(documents) || 0;
      const docs = n === 0 ? T("end_docs_0") : n === 1 ? T("end_docs_1")
        : T("end_docs_n").replace("{n}", n);
      dialog(T("end_title"), T("end_lead"), [[T("end_yes"), "end"], [T("end_no"), null]], null,
        [T("end_logout"), T("end_printer"), T("end_usb"), docs, T("end_erase")]);
    },
    confirmHelp() {
      dialog(T("help_title"), T("help_text"), [[T("help_yes"), "help"], [T("cancel"), null]]);
    },
    helpSent(ok) {
      dialog(T(ok ? "help_sent_title" : "help_failed_title"),
        T(ok ? "help_sent_text" : "help_failed_text"), [[T("ok"), null]]);
    },
    message(title, text) { dialog(title, text, [[T("ok"), null]]); },
    saved() {
      dialog(T("saved_title"), T("saved_text"), [[T("view"), "view_saved"], [T("ok"), null]]);
    },
    close: close,
    speaking(on) { speaking = Boolean(on); showSpeaking(); },
    keyboard() { call("keyboard"); },  // the keyboard's own "Fermer" key (keyboard.js)
  };
  Object.defineProperty(window, "__kiosk", { value: Object.freeze(kiosk) });

  const actions = { home: "home", documents: "documents", print: "print", bigger: "bigger",
    smaller: "smaller", back: "back", end: "end_ask", keyboard: "keyboard" };
  for (const [id, action] of Object.entries(actions)) {
    $(id).addEventListener("click", (e) => { if (e.isTrusted) { call(action); } });
  }
  // "Clavier" keeps the focus in the field being typed into.
  $("keyboard").addEventListener("mousedown", (e) => e.preventDefault());
  $("help").addEventListener("click", (e) => { if (e.isTrusted) { kiosk.confirmHelp(); } });
  readAloud();
  portalKeyboard();

  // The page zoom (A+/A-) must never change the bar: the host is zoomed by its inverse, so the
  // bar keeps its size and every button stays where the finger expects it.
  const HOST_STYLE = {"all": "initial", "display": "block", "position": "fixed", "top": "0",
    "left": "0", "right": "0", "z-index": "2147483647", "visibility": "visible", "opacity": "1",
    "transform": "none", "pointer-events": "auto", "filter": "none", "clip-path": "none"};
  let HOST_CSS = "";
  function zoom() { return Number(state.zoom) > 0 ? Number(state.zoom) : 1; }
  function styleHost() {
    host.removeAttribute("style");
    for (const [name, value] of Object.entries(HOST_STYLE)) {
      host.style.setProperty(name, value, "important");
    }
    zoomSheet.replaceSync(`:host { zoom: ${1 / zoom()} !important; }`);
    HOST_CSS = host.style.cssText;  // as this browser serialises it, to compare cheaply
  }
  function hostStyled() { return host.style.cssText === HOST_CSS; }
  function ensure() {
    const html = document.documentElement;
    if (!html) { return; }
    if (!hostStyled()) { styleHost(); }
    $("bar").classList.toggle("narrow", innerWidth * zoom() < 1200);  // screen pixels
    if (host.parentNode !== html || html.lastElementChild !== host) { html.appendChild(host); }
    const internal = location.origin === state.internal_origin;
    const pad = internal ? "0px" : (state.bar_height / zoom()) + "px";
    if (html.style.getPropertyValue("padding-top") !== pad) {
      html.style.setProperty("padding-top", pad, "important");
    }
    $("bar").style.height = internal ? "0px" : state.bar_height + "px";
    $("bar").style.display = internal ? "none" : "";
  }
  kiosk.update(state);
  ensure();
  new MutationObserver(ensure).observe(document, { childList: true, subtree: false });
  if (document.documentElement) {
    new MutationObserver(ensure).observe(document.documentElement,
      { childList: true, attributes: true, attributeFilter: ["style"] });
  }
  new MutationObserver(ensure).observe(host, { attributes: true });
  setInterval(ensure, 500);
}
})();
