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
  try {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.kiosk;
      while (queue.length) { bridge.call(queue.shift()); }
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
    display: flex; align-items: center; gap: 8px; padding: 6px 10px;
    background: #1d3557; color: #fff; font: 17px/1.2 "DejaVu Sans", sans-serif; }
  button { font: inherit; border: 0; border-radius: 6px; padding: 8px 14px; cursor: pointer;
    background: #f1faee; color: #1d3557; }
  button:focus { outline: 3px solid #ffb703; }
  #end { background: #e63946; color: #fff; margin-left: auto; }
  #time { padding: 0 10px; white-space: nowrap; }
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
  root.adoptedStyleSheets = [sheet];
  root.innerHTML = `
<div id="bar" role="toolbar" aria-label="Session">
  <button id="home">Accueil</button>
  <button id="documents">Mes documents</button>
  <button id="print">Imprimer</button>
  <button id="bigger" aria-label="Agrandir le texte">A+</button>
  <button id="smaller" aria-label="Réduire le texte">A-</button>
  <span id="time"></span>
  <button id="end">Terminer la session</button>
</div>
<div id="overlay" hidden role="dialog" aria-modal="true">
  <h1 id="title"></h1><p id="text"></p><div id="count"></div><div id="actions"></div>
</div>`;
  const $ = (id) => root.getElementById(id);
  const overlay = $("overlay");
  let countdown = null;
  let showingWarning = false;

  function dialog(title, text, buttons, deadline) {
    $("title").textContent = title;
    $("text").textContent = text;
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

  const kiosk = {
    update(next) {
      state = next;
      $("time").textContent = state.time_label || "";
      $("print").hidden = state.printing === false;
      if (state.warning_kind === "idle") {
        dialog("Êtes-vous toujours là ?",
          "La session va se terminer. Touchez l'écran ou une touche pour continuer.",
          [["Continuer", null]], state.warning_until);
        showingWarning = true;
      } else if (state.warning_kind === "time_limit") {
        dialog("La session va bientôt se terminer",
          "Pensez à enregistrer ou imprimer vos documents.",
          [["J'ai compris", "dismiss"]], state.warning_until);
        showingWarning = true;
      } else if (showingWarning) {
        close();
      }
    },
    blocked() {
      dialog("Ce site n'est pas disponible sur cette borne",
        "Il ne fait pas partie des sites autorisés. Vous pouvez revenir à la page précédente ou retourner à l'accueil.",
        [["Revenir", null], ["Accueil", "home"]]);
    },
    confirmPrint() {
      dialog("Imprimer cette page ?", "La page sera envoyée à l'imprimante de l'association.",
        [["Imprimer", "print_confirmed"], ["Annuler", null]]);
    },
    confirmEnd() {
      dialog("Terminer la session ?",
        "Tout ce que vous avez fait sur cette borne sera effacé : documents, connexions, pages ouvertes.",
        [["Oui, terminer", "end"], ["Non, continuer", null]]);
    },
    message(title, text) { dialog(title, text, [["OK", null]]); },
    saved() {
      dialog("Document enregistré", "Vous le retrouvez dans « Mes documents ».",
        [["Voir le document", "view_saved"], ["OK", null]]);
    },
    close: close,
  };
  Object.defineProperty(window, "__kiosk", { value: Object.freeze(kiosk) });

  const actions = { home: "home", documents: "documents", print: "print", bigger: "bigger",
    smaller: "smaller" };
  for (const [id, action] of Object.entries(actions)) {
    $(id).addEventListener("click", (e) => { if (e.isTrusted) { call(action); } });
  }
  $("end").addEventListener("click", (e) => { if (e.isTrusted) { kiosk.confirmEnd(); } });

  const HOST_STYLE = {"all": "initial", "display": "block", "position": "fixed", "top": "0",
    "left": "0", "width": "100vw", "z-index": "2147483647", "visibility": "visible", "opacity": "1",
    "transform": "none", "pointer-events": "auto", "filter": "none", "clip-path": "none"};
  function styleHost() {
    host.removeAttribute("style");
    for (const [name, value] of Object.entries(HOST_STYLE)) {
      host.style.setProperty(name, value, "important");
    }
  }
  styleHost();
  const HOST_CSS = host.style.cssText;  // as this browser serialises it, to compare cheaply
  function hostStyled() { return host.style.cssText === HOST_CSS; }
  function ensure() {
    const html = document.documentElement;
    if (!html) { return; }
    if (!hostStyled()) { styleHost(); }
    if (host.parentNode !== html || html.lastElementChild !== host) { html.appendChild(host); }
    const internal = location.origin === state.internal_origin;
    const pad = internal ? "0px" : state.bar_height + "px";
    if (html.style.getPropertyValue("padding-top") !== pad) {
      html.style.setProperty("padding-top", pad, "important");
    }
    $("bar").style.height = pad;
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
