// The top bar's search box: suggestions as you type (debounced; a newer request aborts
// the older one), arrow keys and Enter to open a hit, Escape to close, "/" to focus.
// Without JavaScript the box is a plain form to the search page.
(function () {
  "use strict";

  var form = document.querySelector("[data-search-box]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var panel = form.querySelector(".search-suggest");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var pending = null;
  var shown = "";
  var active = -1;

  var options = function () { return Array.prototype.slice.call(panel.querySelectorAll("[role=option]")); };

  var close = function () {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  var select = function (index) {
    var all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  };

  var load = function () {
    var text = input.value.trim();
    if (!text) { close(); shown = ""; return; }
    if (text === shown && !panel.hidden) return;
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(text), {
      headers: { "X-Requested-With": "fetch" }, signal: pending ? pending.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (input.value.trim() !== text) return;
        panel.innerHTML = html;  // server-rendered, every record value escaped there
        shown = text;
        active = -1;
        panel.hidden = false;
        input.setAttribute("aria-expanded", "true");
      })
      .catch(function () { /* aborted by a newer request, or offline: keep what is shown */ });
  };

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 180);
  });

  input.addEventListener("focus", function () {
    if (input.value.trim() && panel.innerHTML) { panel.hidden = false; input.setAttribute("aria-expanded", "true"); }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (panel.hidden) { load(); return; }
      event.preventDefault();
      select(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      var all = options();
      if (!panel.hidden && active >= 0 && all[active]) {
        event.preventDefault();
        window.location.href = all[active].href;
      }
    } else if (event.key === "Escape") {
      if (!panel.hidden) { event.preventDefault(); close(); } else { input.blur(); }
    }
  });

  panel.addEventListener("mousemove", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) select(options().indexOf(option));
  });

  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable=true], dialog")) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
