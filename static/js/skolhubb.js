/* Progressive enhancements (the pages work without them). Loaded with defer; no inline script (CSP). */
(function () {
  "use strict";
  // A text field with data-limit shows "12 av 200 tecken" as you type, and says when it is
  // over the limit instead of the browser cutting the text silently.
  function counter(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var note = document.createElement("p");
    note.className = "field__help field__counter";
    note.setAttribute("aria-live", "polite");
    note.id = field.id + "_counter";
    field.insertAdjacentElement("afterend", note);
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + note.id);
    var template = field.getAttribute("data-limit-text") || "{count} av {limit} tecken";
    function update() {
      var count = field.value.length;
      note.textContent = template.replace("{count}", count).replace("{limit}", limit);
      note.classList.toggle("field__counter--over", count > limit);
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("[data-limit]");
    for (var i = 0; i < fields.length; i++) counter(fields[i]);
  });
})();
