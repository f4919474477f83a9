// A bulk export's page: poll its progress while it runs, then show the download.
(function () {
  "use strict";
  function watch(card) {
    var url = card.getAttribute("data-export-status");
    var bar = card.querySelector("[data-export-bar]");
    function update(status) {
      bar.value = status.percent;
      bar.textContent = status.percent + " %";
      card.querySelector("[data-export-percent]").textContent = status.percent + " %";
      card.querySelector("[data-export-label]").textContent = status.status_label;
      card.querySelector("[data-export-processed]").textContent = status.processed;
      var message = card.querySelector("[data-export-message]");
      if (status.message) { message.textContent = status.message; message.hidden = false; }
      if (status.status === "failed") { message.hidden = false; }
      var download = card.querySelector("[data-export-download]");
      if (status.download_url) { download.href = status.download_url; download.hidden = false; }
    }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { window.setTimeout(poll, 3000); return; }
          update(status);
          if (!status.finished) { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-export-status][data-export-running='1']").forEach(watch);
  });
})();
