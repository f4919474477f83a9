// An import's page: poll its status while it runs, move the bar and the counters, and
// reload once it has finished so the result and its actions show.
(function () {
  "use strict";
  function watch(card) {
    var url = card.getAttribute("data-import-status");
    var bar = card.querySelector("[data-import-bar]");
    var percent = card.querySelector("[data-import-percent]");
    var label = card.querySelector("[data-import-status-label]");
    function update(status) {
      bar.value = status.percent;
      bar.textContent = status.percent + " %";
      percent.textContent = status.percent + " %";
      label.textContent = status.status_label;
      card.querySelectorAll("[data-import-count]").forEach(function (node) {
        var value = status[node.getAttribute("data-import-count")];
        if (value !== undefined) { node.textContent = value; }
      });
      var report = card.querySelector("[data-import-report]");
      if (report && status.has_error_report) { report.hidden = false; }
      var message = card.querySelector("[data-import-message]");
      if (message && status.message) { message.textContent = status.message; message.hidden = false; }
    }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { window.setTimeout(poll, 3000); return; }
          update(status);
          if (status.finished) { window.setTimeout(function () { window.location.reload(); }, 600); }
          else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-import-status][data-import-running='1']").forEach(watch);
  });
})();
