/* Commonplace: small progressive enhancement, no framework.
   The rating form of a contribution, the "was this prompt helpful?" buttons, the follow / mute
   buttons and the playbook's save buttons post with fetch() and the page updates in place. Every form still works without this script; if anything here
   fails (network, an error status, an answer that is not JSON), the form is posted the normal way. */
(function () {
  "use strict";

  if (!window.fetch || !window.FormData || !window.URLSearchParams || !Element.prototype.closest) {
    return;
  }

  var ENHANCED =
    ".rate-form, .helpful__forms form, form.follow-form[data-in-place], form.save-form[data-in-place]";
  var live = null;

  function announce(text) {
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      (document.getElementById("main") || document.body).appendChild(live);
    }
    live.textContent = text || "";
  }

  function replace(oldNode, html) {
    if (!oldNode || typeof html !== "string") {
      throw new Error("nothing to replace");
    }
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    if (!fresh) {
      throw new Error("empty fragment");
    }
    oldNode.replaceWith(fresh);
    return fresh;
  }

  function postPlainly(form, submitter) {
    // The ordinary post, as without JavaScript; the clicked button's value goes along.
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function showRating(form, data) {
    // One tap on a star: the stars of the card, the member's own rating and the notice change.
    var card = form.closest(".contribution");
    replace(card.querySelector(".usefulness"), data.usefulness_html);
    var newForm = replace(form, data.form_html);
    var actions = newForm.closest(".card__actions");
    var old = card.querySelector(".card__notice");
    if (typeof data.notice_html === "string" && actions) {
      if (old) {
        replace(old, data.notice_html);
      } else {
        var holder = document.createElement("div");
        holder.innerHTML = data.notice_html.trim();
        if (holder.firstElementChild) {
          actions.parentNode.insertBefore(holder.firstElementChild, actions);
        }
      }
    }
    var button =
      newForm.querySelector("button[aria-pressed=true]") || newForm.querySelector("button[type=submit]");
    if (button) {
      button.focus();
    }
  }

  function showHelpful(form, data) {
    var section = form.closest(".helpful");
    replace(section.querySelector(".helpful__counts"), data.counts_html);
    var forms = replace(section.querySelector(".helpful__forms"), data.forms_html);
    var chosen = forms.querySelector("[aria-pressed=true]") || forms.querySelector("button");
    if (chosen) {
      chosen.focus();
    }
  }

  function showFollow(form, data) {
    var newForm = replace(form, data.form_html);
    var button = newForm.querySelector("button[type=submit]");
    if (button) {
      button.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(ENHANCED)) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    var submitter = event.submitter || null;
    var body = new FormData(form); // carries the csrf_token field
    if (submitter && submitter.name) {
      body.append(submitter.name, submitter.value);
    }
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(body),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "commonplace-enhance" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) {
          throw new Error("not an enhanced answer");
        }
        return response.json();
      })
      .then(function (data) {
        if (form.classList.contains("rate-form")) {
          showRating(form, data);
        } else if (form.classList.contains("follow-form") || form.classList.contains("save-form")) {
          showFollow(form, data);
        } else {
          showHelpful(form, data);
        }
        announce(data.message);
      })
      .catch(function () {
        form.removeAttribute("aria-busy");
        if (!form.isConnected) {
          window.location.reload(); // the post went through; show the page as it now is
          return;
        }
        postPlainly(form, submitter);
      });
  });
})();
