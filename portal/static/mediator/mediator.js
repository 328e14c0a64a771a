// Mediator area: live validation of the site form (the server answers with the policy engine's
// own errors, in French). Text is always set with textContent: nothing typed is ever HTML.
"use strict";
(function () {
  const form = document.getElementById("site-form");
  if (!form) return;
  const csrf = document.getElementById("main").dataset.csrf;
  let timer = null;
  function show(errors) {
    form.parentElement.parentElement.querySelectorAll("[data-errors-for]").forEach(function (list) {
      const messages = errors[list.dataset.errorsFor] || [];
      list.replaceChildren();
      messages.forEach(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      list.hidden = messages.length === 0;
    });
  }
  function check() {
    const data = new FormData(form);
    fetch(form.dataset.checkUrl, {method: "POST", body: data, headers: {"X-CSRF-Token": csrf},
                                   credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        show(answer.errors);
        document.getElementById("preview-name").textContent = answer.tile.name;
        document.getElementById("preview-text").textContent = answer.tile.text;
        document.getElementById("tested").textContent = answer.tested || "";
      })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
})();

// The terminal page updates itself: state, session time and, above all, a help request, shown
// and rung (three short tones) as soon as it arrives, with how long the person has waited.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  const alertBox = document.getElementById("help-alert");
  const soundRow = document.getElementById("sound");
  const title = document.title;
  let audio = null;
  let wasPending = !alertBox.hidden;
  function ring() {
    try {
      audio = audio || new AudioContext();
      const play = function () {
        for (let i = 0; i < 3; i += 1) {
          const tone = audio.createOscillator();
          const gain = audio.createGain();
          tone.frequency.value = 880;
          gain.gain.value = 0.3;
          tone.connect(gain).connect(audio.destination);
          tone.start(audio.currentTime + i * 0.35);
          tone.stop(audio.currentTime + i * 0.35 + 0.2);
        }
        alertBox.dataset.rung = String(Number(alertBox.dataset.rung || 0) + 1);
      };
      if (audio.state === "running") { play(); soundRow.hidden = true; return; }
      audio.resume().then(function () {
        if (audio.state === "running") { play(); soundRow.hidden = true; }
      });
      soundRow.hidden = false;  // the browser waits for a click before it may make a sound
    } catch (e) { soundRow.hidden = false; }
  }
  document.getElementById("sound-on").addEventListener("click", function () {
    audio = audio || new AudioContext();
    audio.resume().then(function () { soundRow.hidden = true; if (wasPending) ring(); });
  });
  function show(data) {
    document.getElementById("state").textContent = data.state_label;
    document.getElementById("elapsed").textContent = data.elapsed;
    const help = document.getElementById("help");
    help.textContent = "";
    if (data.help) {
      const strong = document.createElement("strong");
      strong.className = "alert-text";
      strong.textContent = help.dataset.yes;
      help.appendChild(strong);
    } else {
      help.textContent = help.dataset.no;
    }
    document.getElementById("help-wait").textContent = data.help_waiting;
    alertBox.hidden = !data.help;
    document.title = data.help ? "(!) " + title : title;
    if (data.help && !wasPending) { ring(); }
    wasPending = data.help;
  }
  function poll() {
    fetch(live.dataset.live, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) {
        if (r.status === 401) { document.getElementById("live-lost").hidden = false; return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        show(data);
        setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 6000); });
  }
  if (wasPending) { ring(); }
  setTimeout(poll, 3000);
})();

// The site form's pictogram picker: the tile preview shows the chosen pictogram at once.
(function () {
  const preview = document.getElementById("preview-icon");
  if (!preview) return;
  document.querySelectorAll(".picto-picker input[type=radio]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      const svg = radio.parentElement.querySelector("svg");
      if (svg) preview.replaceChildren(svg.cloneNode(true));
    });
  });
})();
