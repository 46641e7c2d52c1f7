/* Commonplace: "Copy" buttons for secrets shown once (the new API token on the settings page).
   A button with data-copy="<id of a readonly input>" is hidden in the HTML and shown here; it
   copies the input's value to the clipboard and says so in the element with
   data-copy-status="<same id>" (role=status). Without this script the token is still there,
   in view, as text to select and copy by hand. */
(function () {
  "use strict";

  function copyFrom(input) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(input.value);
    }
    // Older browsers: select the text and copy the selection.
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  function setUp() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var id = button.getAttribute("data-copy");
      var input = document.getElementById(id);
      var status = document.querySelector('[data-copy-status="' + id + '"]');
      if (!input) {
        return;
      }
      button.hidden = false;
      input.addEventListener("focus", function () {
        input.select();
      });
      button.addEventListener("click", function () {
        copyFrom(input).then(
          function () {
            if (status) {
              status.textContent = "Copied. Keep it somewhere safe.";
            }
          },
          function () {
            input.focus();
            input.select();
            if (status) {
              status.textContent = "Select the token and copy it with your keyboard.";
            }
          }
        );
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
