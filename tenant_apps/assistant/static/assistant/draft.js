// The e-mail draft page: stream the assistant's draft into the editor as it is written
// (server-sent events over a POST), fetch subject-line suggestions, and keep the mail app
// link in step with the editor. Nothing is ever sent from here.
(function () {
  "use strict";

  function parseEvents(buffer, onEvent) {
    // Complete events end with a blank line; the rest waits for the next chunk.
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var event = "message", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) { event = line.slice(6).trim(); }
        else if (line.indexOf("data:") === 0) { data += line.slice(5).trim(); }
      });
      var payload = {};
      try { payload = data ? JSON.parse(data) : {}; } catch (e) { payload = {}; }
      onEvent(event, payload);
    });
    return rest;
  }

  function errorMessage(response) {
    return response.json().then(function (body) {
      return (body && body.error && body.error.message) || null;
    }).catch(function () { return null; });
  }

  function init() {
    var form = document.getElementById("draft-form");
    if (!form) { return; }
    var status = form.querySelector("[data-draft-status]");
    var writeButton = form.querySelector("[data-draft-write]");
    var subjectsButton = form.querySelector("[data-draft-subjects]");
    var body = document.querySelector("[data-draft-body]");
    var subject = document.querySelector("[data-draft-subject]");
    var suggestions = document.querySelector("[data-draft-suggestions]");
    var mailto = document.querySelector("[data-draft-mailto]");

    function say(text) { status.textContent = text || ""; }
    function busy(on) { writeButton.disabled = on; subjectsButton.disabled = on; }

    function updateMailto() {
      var query = "subject=" + encodeURIComponent(subject.value) + "&body=" + encodeURIComponent(body.value);
      mailto.href = "mailto:" + encodeURIComponent(mailto.getAttribute("data-recipient") || "").replace("%40", "@") + "?" + query;
    }
    body.addEventListener("input", updateMailto);
    subject.addEventListener("input", updateMailto);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.hasAttribute("data-unavailable")) { return; }
      busy(true);
      say(status.getAttribute("data-writing"));
      body.value = "";
      var failed = false;
      fetch(form.getAttribute("data-stream-url"), {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { Accept: "text/event-stream" }
      }).then(function (response) {
        if (!response.ok) {
          return errorMessage(response).then(function (message) {
            failed = true;
            say(message || status.getAttribute("data-failed"));
          });
        }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = "";
        function read() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { return; }
            buffer = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }), function (name, data) {
              if (name === "delta") {
                body.value += data.text || "";
                body.scrollTop = body.scrollHeight;
              } else if (name === "error") {
                failed = true;
                say(data.message || status.getAttribute("data-failed"));
              }
            });
            return read();
          });
        }
        return read();
      }).catch(function () {
        failed = true;
        say(status.getAttribute("data-failed"));
      }).then(function () {
        if (!failed) { say(status.getAttribute("data-done")); }
        updateMailto();
        busy(false);
      });
    });

    subjectsButton.addEventListener("click", function () {
      if (form.hasAttribute("data-unavailable")) { return; }
      busy(true);
      say(status.getAttribute("data-thinking"));
      var data = new FormData(form);
      data.append("body", body.value);
      fetch(form.getAttribute("data-subjects-url"), {
        method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          return errorMessage(response).then(function (message) { say(message || status.getAttribute("data-failed")); });
        }
        return response.json().then(function (answer) {
          suggestions.textContent = "";
          (answer.subjects || []).forEach(function (text) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-small";
            button.textContent = text;
            button.addEventListener("click", function () { subject.value = text; updateMailto(); });
            suggestions.appendChild(button);
          });
          suggestions.hidden = !suggestions.childElementCount;
          if (!subject.value && answer.subjects && answer.subjects.length) { subject.value = answer.subjects[0]; }
          updateMailto();
          say("");
        });
      }).catch(function () {
        say(status.getAttribute("data-failed"));
      }).then(function () { busy(false); });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
