/* Commonplace: "has this been asked?" on the new-prompt page.
   As the title is typed (after a pause of 300 ms), ask GET /api/v1/prompts/similar for the
   prompts most alike it and its intro, and show them in place in the "Similar prompts already
   asked" region (aria-live=polite, so screen readers hear the change). Without this script the
   "Check for similar prompts" button does the same with a round trip; if anything here fails,
   the list stays as it was. */
(function () {
  "use strict";

  if (!window.fetch || !window.URLSearchParams) {
    return;
  }

  var WAIT_MS = 300;
  var INTRO_CHARS = 500; // enough to compare, and a short enough address

  function setUp() {
    var region = document.getElementById("similar-prompts");
    var title = document.getElementById("title");
    var intro = document.getElementById("intro");
    if (!region || !title || !region.getAttribute("data-similar-url")) {
      return;
    }
    var url = region.getAttribute("data-similar-url");
    var timer = null;
    var asked = 0;
    var lastAsked = null;

    function percent(similarity) {
      return Math.round((Number(similarity) || 0) * 100) + "% alike";
    }

    function show(items) {
      var old = region.querySelector(".similar-prompts__list, .similar-prompts__none");
      var fresh;
      if (!items.length) {
        fresh = document.createElement("p");
        fresh.className = "hint similar-prompts__none";
        fresh.textContent = "No similar prompts found.";
      } else {
        fresh = document.createElement("ul");
        fresh.className = "similar-prompts__list";
        items.forEach(function (item) {
          var li = document.createElement("li");
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = item.title;
          var meta = document.createElement("span");
          meta.className = "meta";
          var parts = [];
          if (item.topic && item.topic.name) {
            parts.push(item.topic.name);
          }
          parts.push(percent(item.similarity));
          if (item.status && item.status !== "open") {
            parts.push(item.status);
          }
          meta.textContent = parts.join(" · ");
          li.appendChild(link);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(meta);
          fresh.appendChild(li);
        });
      }
      if (old) {
        old.replaceWith(fresh);
      } else {
        region.appendChild(fresh);
      }
      region.setAttribute("data-similar-for", lastAsked || "");
    }

    function ask() {
      var text = title.value.trim();
      if (!text) {
        return; // the title is the main input: nothing typed, nothing asked, the list stays
      }
      var params = new URLSearchParams({ title: text });
      var more = intro ? intro.value.trim().slice(0, INTRO_CHARS) : "";
      if (more) {
        params.set("intro", more);
      }
      var query = params.toString();
      if (query === lastAsked) {
        return;
      }
      var mine = ++asked;
      region.setAttribute("aria-busy", "true");
      fetch(url + "?" + query, { headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("similar prompts: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (mine === asked && data && Array.isArray(data.items)) {
            lastAsked = query;
            show(data.items);
          }
        })
        .catch(function () {
          /* the list stays as it was; the button still works */
        })
        .then(function () {
          if (mine === asked) {
            region.removeAttribute("aria-busy");
          }
        });
    }

    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
