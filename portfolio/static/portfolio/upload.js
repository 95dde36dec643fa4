/* Phone-first upload for documentation and blog posts: every chosen photo or film is sent
   on its own as soon as it is picked, with a progress bar, while the form stays usable.
   The server answers with the new file's id, which goes into the form as a hidden field.
   Without this script the files are simply sent with the form. No inline script (CSP). */
(function () {
  "use strict";

  function text(el, value) { el.textContent = value; }

  function setup(form) {
    var input = form.querySelector("input.js-media-input");
    var list = form.querySelector(".upload-list");
    var url = form.getAttribute("data-upload-url");
    if (!input || !list || !url || !window.FormData) { return; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var running = 0;
    var buttons = form.querySelectorAll("button[type=submit]");

    function busy(delta) {
      running += delta;
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = running > 0; }
      form.setAttribute("aria-busy", running > 0 ? "true" : "false");
    }

    function upload(file) {
      var item = document.createElement("li");
      item.className = "upload";
      var name = document.createElement("span");
      name.className = "upload__name";
      text(name, file.name);
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var status = document.createElement("span");
      status.className = "upload__status";
      text(status, "Laddar upp …");
      item.appendChild(name);
      item.appendChild(bar);
      item.appendChild(status);
      list.appendChild(item);

      var data = new FormData();
      data.append("file", file);
      data.append("csrfmiddlewaretoken", token);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round((event.loaded / event.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 201 && answer.id) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "media";
          hidden.value = String(answer.id);
          form.appendChild(hidden);
          bar.value = 100;
          item.className = "upload upload--done";
          text(status, "Klar – bearbetas");
        } else {
          item.className = "upload upload--error";
          /* 413: the site-wide upload limit stopped the file before the view saw it */
          text(status, answer.error || (xhr.status === 413 ? "Filen är för stor." : "Uppladdningen misslyckades."));
        }
        busy(-1);
      });
      xhr.addEventListener("error", function () {
        item.className = "upload upload--error";
        text(status, "Uppladdningen misslyckades.");
        busy(-1);
      });
      busy(1);
      xhr.send(data);
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      files.forEach(upload);
      input.value = ""; /* sent already: not again with the form */
    });
  }

  var forms = document.querySelectorAll("form.js-upload-form");
  for (var i = 0; i < forms.length; i++) { setup(forms[i]); }
})();
