// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="Are you sure?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Submit a form when one of its selects changes: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });

  // "Show more / older" links: <li><a data-load-more href="…"></li> is replaced in place
  // by the HTML the link answers with (which may end with the next such link).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-load-more]");
    if (!link) return;
    event.preventDefault();
    fetch(link.href, { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var item = link.closest("li");
        item.insertAdjacentHTML("beforebegin", html);
        item.remove();
      })
      .catch(function () { window.location.href = link.href; });
  });

  // Close an open <details class="dropdown"> when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
      if (!details.contains(event.target)) {
        details.removeAttribute("open");
      }
    });
  });

  // Copy text: <button data-copy="#element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.innerText.trim()).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) button.textContent = done;
    });
  });

  // Signup: suggest the address from the company name and check it as you type.
  var form = document.querySelector("form[data-slug-check]");
  if (form) {
    var nameInput = form.querySelector("[name=company_name]");
    var slugInput = form.querySelector("[name=slug]");
    var status = form.querySelector("[data-slug-status]");
    var url = form.getAttribute("data-slug-check");
    var touched = slugInput.value !== "";
    var timer = null;
    var sequence = 0;

    var show = function (data) {
      status.textContent = data.message || "";
      status.classList.toggle("ok", !!data.available);
      status.classList.toggle("bad", !data.available && !!data.message);
    };

    var check = function (params) {
      var mine = ++sequence;
      fetch(url + "?" + new URLSearchParams(params), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== sequence) return;
          if (!touched && data.slug) slugInput.value = data.slug;
          show(data);
        })
        .catch(function () { /* the server checks again on submit */ });
    };

    var schedule = function (params) {
      clearTimeout(timer);
      timer = setTimeout(function () { check(params); }, 250);
    };

    nameInput.addEventListener("input", function () {
      if (!touched) schedule({ name: nameInput.value });
    });
    slugInput.addEventListener("input", function () {
      touched = slugInput.value !== "";
      slugInput.value = slugInput.value.toLowerCase();
      if (slugInput.value) schedule({ slug: slugInput.value });
      else show({});
    });
  }
})();
