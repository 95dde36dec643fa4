// eTest: save each answer as the student goes (no inline script: CSP). Without this file the
// page still works: "Lämna in" posts every answer at once.
(function () {
  "use strict";
  var form = document.querySelector("form.etest");
  if (!form) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = new WeakMap();

  function save(fieldset) {
    var status = fieldset.querySelector(".save-status");
    var body = new URLSearchParams();
    if (fieldset.dataset.kind === "text") {
      body.append("text", fieldset.querySelector("textarea").value);
    } else {
      fieldset.querySelectorAll("input:checked").forEach(function (input) { body.append("choice", input.value); });
    }
    status.textContent = "Sparar …";
    status.classList.remove("save-status--error");
    fetch(fieldset.dataset.saveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        status.textContent = result.data.message || "Sparat";
      } else {
        status.textContent = result.data.error || "Kunde inte spara.";
        status.classList.add("save-status--error");
      }
    }).catch(function () {
      status.textContent = "Ingen anslutning – svaret sparas när du ändrar igen eller lämnar in.";
      status.classList.add("save-status--error");
    });
  }

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { save(fieldset); });
    var area = fieldset.querySelector("textarea");
    if (area) {
      area.addEventListener("input", function () {
        clearTimeout(timers.get(fieldset));
        timers.set(fieldset, setTimeout(function () { save(fieldset); }, 800));
      });
    }
  });

  var timer = document.getElementById("timer");
  var left = document.getElementById("timer-left");
  if (timer && left) {
    var end = Date.now() + parseInt(timer.dataset.seconds, 10) * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      left.textContent = "(" + Math.floor(s / 60) + " min " + (s % 60) + " s kvar)";
      if (s > 0) setTimeout(tick, 1000);
    };
    tick();
  }
})();
