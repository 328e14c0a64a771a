// kiosk resident portal: progressive enhancement only; every page works without this file.
(function () {
  "use strict";

  // Must give the same result as portal.catalogue.fold() on the server.
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/['’\-_.,;:\/()]/g, " ").split(/\s+/).filter(Boolean).join(" ");
  }

  function liveSearch() {
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    if (!input || !status) return;
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
    var timer = null;
    function apply() {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var hay = item.getAttribute("data-search");
        var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-search]:not([hidden])");
      });
      clearTimeout(timer);
      // Announce after typing pauses, so screen readers are not flooded.
      timer = setTimeout(function () {
        if (!words.length) { status.textContent = ""; return; }
        status.textContent = shown === 0 ? status.dataset.none
          : shown === 1 ? status.dataset.one : status.dataset.many.replace("{n}", shown);
      }, 400);
    }
    input.addEventListener("input", apply);
    if (input.value) apply();
  }

  function backLinks() {
    document.querySelectorAll("[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) {
          event.preventDefault();
          window.history.back();
        }
      });
    });
  }

  function countdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = parseInt(el.getAttribute("data-countdown"), 10) || 0;
      var tick = setInterval(function () {
        left = Math.max(0, left - 1);
        el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left === 0) clearInterval(tick);
      }, 1000);
    });
  }

  function waitForWelcome() {
    var box = document.querySelector("[data-wait-welcome]");
    if (!box) return;
    var poll = setInterval(function () {
      fetch(box.getAttribute("data-wait-welcome"), { cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.state === "welcome") { clearInterval(poll); window.location.assign(box.getAttribute("data-welcome")); }
        })
        .catch(function () { /* the portal restarts during a wipe: keep waiting */ });
    }, 1500);
  }

  // The mediator's entry, out of residents' way: on the welcome screen, hold the association's
  // logo or name for 3 seconds, or press Ctrl+Alt+M (README, "Espace médiateur").
  function staffEntry() {
    var box = document.querySelector("[data-staff]");
    if (!box) return;
    var target = box.getAttribute("data-staff");
    var timer = null;
    function cancel() { clearTimeout(timer); timer = null; }
    box.addEventListener("pointerdown", function () {
      cancel();
      timer = setTimeout(function () { window.location.assign(target); }, 3000);
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
      box.addEventListener(name, cancel);
    });
    box.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey && event.altKey && (event.key === "m" || event.key === "M")) {
        window.location.assign(target);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    staffEntry(); liveSearch(); backLinks(); countdowns(); waitForWelcome();
  });
})();
