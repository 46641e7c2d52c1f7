/* Preview: under each text box marked data-preview (the address of forum/web/preview.py), a
   "Preview" button shows the Markdown as readers will see it, rendered by the server with the
   same renderer as posted text. Without JavaScript the forms work as before, with no button. */
(function () {
  "use strict";

  function setUp(box) {
    var form = box.form;
    var token = form && form.querySelector("input[name=csrf_token]");
    if (!token) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small button--quiet preview__button";
    button.textContent = "Preview";
    button.setAttribute("aria-controls", box.id + "-preview");
    var area = document.createElement("div");
    area.className = "preview";
    area.id = box.id + "-preview";
    area.hidden = true;
    var label = document.createElement("p");
    label.className = "preview__label";
    label.textContent = "Preview: how readers will see it";
    var shown = document.createElement("div");
    shown.className = "prose preview__body";
    shown.setAttribute("aria-live", "polite");
    area.appendChild(label);
    area.appendChild(shown);
    box.insertAdjacentElement("afterend", area);
    box.insertAdjacentElement("afterend", button);

    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("body", box.value);
      data.append("kind", box.getAttribute("data-preview-kind") || "contribution");
      data.append("csrf_token", token.value);
      button.disabled = true;
      fetch(box.getAttribute("data-preview"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": token.value }
      }).then(function (response) {
        return response.json().then(function (answer) { return [response.ok, answer]; });
      }).then(function (result) {
        area.hidden = false;
        if (result[0]) {
          // Sanitized by the server (forum/rendering.py), as posted text is.
          shown.innerHTML = result[1].html || "<p>Nothing to preview yet.</p>";
        } else {
          shown.textContent = result[1].error || "The preview could not be made.";
        }
      }).catch(function () {
        area.hidden = false;
        shown.textContent = "The preview could not be made: check your connection.";
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  function start() {
    var boxes = document.querySelectorAll("textarea[data-preview]");
    for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
