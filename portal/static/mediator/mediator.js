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
