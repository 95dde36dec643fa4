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
    menuSections();
  });

  // The main menu's sections (<details>) behave like a menu button's list: one open at a
  // time, Escape closes it and returns to its button, a click or focus elsewhere closes it.
  function menuSections() {
    var sections = document.querySelectorAll(".site-nav details");
    if (!sections.length) return;
    function closeAll(except) {
      for (var i = 0; i < sections.length; i++) {
        if (sections[i] !== except) sections[i].open = false;
      }
    }
    for (var i = 0; i < sections.length; i++) {
      sections[i].addEventListener("toggle", function (event) {
        if (!event.target.open) return;
        closeAll(event.target);
        var panel = event.target.querySelector("ul");
        if (panel && panel.getBoundingClientRect().right > document.documentElement.clientWidth) {
          panel.classList.add("site-nav__panel--end");
        }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = document.querySelector(".site-nav details[open]");
      if (!open) return;
      open.open = false;
      open.querySelector("summary").focus();
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".site-nav details")) closeAll(null);
    });
    document.addEventListener("focusin", function (event) {
      if (!event.target.closest(".site-nav details")) closeAll(null);
    });
  }
})();
