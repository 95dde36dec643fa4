/* The admin's autocomplete fields (select2) get the accessible name of their field's label.
 *
 * select2 hides the real <select> (which has the <label>) and shows a combobox named only by
 * its current value: empty, it has no name at all, and a screen reader hears "combobox".
 * Here the combobox is labelled by the field's label and its value, e.g. "Vårdnadshavare:
 * Anna Andersson". Runs after Django's autocomplete.js has set up the fields (jQuery's ready
 * callbacks run in the order they were added; this file is loaded after it), and again for
 * each inline row added. Loaded with defer on every admin page; no inline script (CSP). */
(function () {
  "use strict";

  function nameComboboxes(root) {
    var selects = root.querySelectorAll("select.admin-autocomplete");
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      if (!select.id || select.name.indexOf("__prefix__") !== -1) continue;
      var container = select.nextElementSibling;
      var combobox = container && container.querySelector(".select2-selection[role=combobox]");
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (!combobox || !label) continue;
      if (!label.id) label.id = select.id + "_label";
      var rendered = combobox.querySelector(".select2-selection__rendered");
      var ids = [label.id];
      if (rendered && rendered.id) {
        ids.push(rendered.id);
        // The value's own box is no field of its own (select2 marks it a read-only textbox).
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      combobox.setAttribute("aria-labelledby", ids.join(" "));
      if (window.django && window.django.jQuery && !select.hasAttribute("data-named")) {
        select.setAttribute("data-named", "");
        window.django.jQuery(select).on("select2:open", opened).on("select2:close", closed);
      }
    }
  }

  // While open: the search field is named after the field ("Vårdnadshavare"), and the
  // combobox says which list it controls (ARIA 1.2; select2 only sets aria-owns).
  function opened(event) {
    var select = event.target;
    var combobox = select.nextElementSibling.querySelector(".select2-selection[role=combobox]");
    var label = document.getElementById(select.id + "_label");
    var search = document.querySelector(".select2-container--open .select2-search__field");
    if (search && label) {
      search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
    var owns = combobox && combobox.getAttribute("aria-owns");
    if (owns) combobox.setAttribute("aria-controls", owns);
  }

  function closed(event) {
    var combobox = event.target.nextElementSibling.querySelector(".select2-selection[role=combobox]");
    if (combobox) combobox.removeAttribute("aria-controls");
  }

  if (window.django && window.django.jQuery) {
    window.django.jQuery(function () {
      nameComboboxes(document);
    });
  }
  document.addEventListener("formset:added", function (event) {
    nameComboboxes(event.target);
  });
})();
