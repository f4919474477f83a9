// Record lists and pages: row selection and bulk bar, inline edit, column picker,
// company suggestions, and confirmation on some buttons.
(function () {
  "use strict";
  var csrf = function () {
    var match = document.cookie.match(/(?:^|; )tessera_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  // Select all rows on the page; show how many are picked.
  var bulk = document.getElementById("bulk-form");
  if (bulk) {
    var count = bulk.querySelector("[data-bulk-count]");
    var countText = count ? count.textContent : "";
    var update = function () {
      var picked = bulk.querySelectorAll("input[name=ids]:checked").length;
      if (count) count.textContent = picked ? picked + " ✓" : countText;
      bulk.classList.toggle("has-selection", picked > 0);
    };
    bulk.addEventListener("change", function (event) {
      if (event.target.matches("[data-check-all]")) {
        bulk.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = event.target.checked; });
      }
      if (event.target.name === "action") showValueFor(event.target.value);
      update();
    });
    var showValueFor = function (action) {
      bulk.querySelectorAll("[data-bulk-for]").forEach(function (field) {
        field.hidden = field.getAttribute("data-bulk-for") !== action;
      });
    };
    var action = bulk.querySelector("select[name=action]");
    if (action) showValueFor(action.value);
    bulk.addEventListener("click", function (event) {
      var button = event.target.closest("[data-confirm-click]");
      if (button && !window.confirm(button.getAttribute("data-confirm-click"))) event.preventDefault();
    });
  }

  // The column picker writes the chosen columns into one "cols" parameter.
  document.querySelectorAll("[data-cols-field]").forEach(function (field) {
    field.form.addEventListener("submit", function () {
      var keys = [];
      field.form.querySelectorAll("[data-col-toggle]:checked").forEach(function (box) { keys.push(box.value); box.disabled = true; });
      field.value = keys.join(",");
    });
  });

  // Inline edit: click a cell, change the value, Enter or leave the field to save.
  var editorFor = {
    owner: "inline-owner", lifecycle_stage: "inline-lifecycle_stage", stage: "inline-stage",
    expected_close_date: "inline-date", amount: "inline-number",
  };
  document.addEventListener("click", function (event) {
    var cell = event.target.closest(".inline-cell");
    if (!cell || event.target.closest("a, input, select, form")) return;
    var field = cell.getAttribute("data-field");
    var template = document.getElementById(editorFor[field] || "inline-text");
    if (!template) return;
    var original = cell.innerHTML;
    var form = document.createElement("form");
    form.className = "inline-form";
    form.appendChild(template.content.cloneNode(true));
    var input = form.querySelector("[name=value]");
    if (input.tagName === "INPUT") input.value = cell.textContent.trim().replace(/^—$/, "");
    cell.innerHTML = "";
    cell.appendChild(form);
    input.focus();
    var done = false;
    var save = function () {
      if (done) return;
      done = true;
      var body = new URLSearchParams({ field: field, value: input.value });
      fetch(cell.getAttribute("data-inline-url"), {
        method: "POST", body: body, headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
      }).then(function (response) {
        if (response.ok) return response.text().then(function (html) { cell.innerHTML = html; });
        return response.json().then(function (data) {
          cell.innerHTML = original;
          var prefix = document.getElementById("inline-error-message");
          window.alert((prefix ? prefix.content.textContent + " " : "") + data.error);
        });
      }).catch(function () { cell.innerHTML = original; });
    };
    form.addEventListener("submit", function (e) { e.preventDefault(); save(); });
    input.addEventListener("change", save);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { done = true; cell.innerHTML = original; }
    });
  });

  // Company suggestions for the company name field.
  var list = document.getElementById("company-suggestions");
  if (list) {
    var input = document.querySelector("[list=company-suggestions]");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (input.value.trim().length < 2) return;
        fetch(list.getAttribute("data-lookup") + "?q=" + encodeURIComponent(input.value.trim()))
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.innerHTML = "";
            data.results.forEach(function (result) {
              var option = document.createElement("option");
              option.value = result.name;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  // Quick-create: the New menu and the "c" key open a dialog with a small form; the
  // record is created without leaving the page, with a link to open it.
  var quick = document.querySelector("[data-quick-create]");
  var dialog = document.getElementById("quick-dialog");
  if (quick && dialog && dialog.showModal) {
    var quickBody = dialog.querySelector("[data-quick-body]");
    var quickDone = dialog.querySelector("[data-quick-done]");
    var quickBase = quick.getAttribute("data-quick-create");
    var quickUrl = function (kind) { return quickBase.replace(/contact\/$/, kind + "/"); };
    var quickShow = function (html) {
      quickBody.innerHTML = html;
      var first = quickBody.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    };
    var quickLoad = function (kind) {
      fetch(quickUrl(kind), { headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.text(); })
        .then(quickShow);
    };
    var quickOpen = function (kind) {
      quick.open = false;
      quickDone.hidden = true;
      if (!dialog.open) dialog.showModal();
      quickLoad(kind);
    };
    quick.addEventListener("click", function (event) {
      var link = event.target.closest("[data-quick]");
      if (!link) return;
      event.preventDefault();
      quickOpen(link.getAttribute("data-quick"));
    });
    dialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-quick-close]")) dialog.close();
      var tab = event.target.closest("[data-quick-kind]");
      if (tab) { quickDone.hidden = true; quickLoad(tab.getAttribute("data-quick-kind")); }
    });
    dialog.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-quick-form]");
      if (!form) return;
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
      }).then(function (response) {
        if (response.status === 201) {
          return response.json().then(function (data) {
            var link = document.createElement("a");
            link.href = data.url;
            link.textContent = quickDone.getAttribute("data-open-label") || "→";
            quickDone.textContent = data.message + " ";
            quickDone.appendChild(link);
            quickDone.hidden = false;
            var kind = form.action.replace(/\/$/, "").split("/").pop();
            created[kind] = true;
            quickLoad(kind);
          });
        }
        return response.text().then(quickShow);
      }).catch(function () { if (button) button.disabled = false; });
    });
    // A list or board of what was just created shows it once the dialog closes.
    var created = {};
    dialog.addEventListener("close", function () {
      var onList = document.getElementById("bulk-form") || document.querySelector("[data-board]");
      if (onList && created[kindForPage()]) window.location.reload();
      created = {};
    });
    var kindForPage = function () {
      var path = window.location.pathname;
      var guess = /^\/deals\//.test(path) ? "deal" : /^\/companies\//.test(path) ? "company"
        : /^\/tasks\//.test(path) ? "task" : "contact";
      if (quick.querySelector('[data-quick="' + guess + '"]')) return guess;
      var first = quick.querySelector("[data-quick]");
      return first ? first.getAttribute("data-quick") : null;
    };
    document.addEventListener("keydown", function (event) {
      if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
      var target = event.target;
      if (target.closest("input, textarea, select, [contenteditable=true], dialog")) return;
      var kind = kindForPage();
      if (!kind) return;
      event.preventDefault();
      quickOpen(kind);
    });
  }
})();
