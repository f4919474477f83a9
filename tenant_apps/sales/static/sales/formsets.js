// Product form: "Add a row" for the price tiers and bundle contents (without JavaScript
// each formset keeps one empty row to fill in per save).
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (section) {
    var prefix = section.getAttribute("data-formset");
    var total = section.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var body = section.querySelector("[data-rows]");
    var template = section.querySelector("[data-row-template]");
    var button = section.querySelector("[data-add-row]");
    if (!total || !body || !template || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      body.appendChild(row);
      total.value = index + 1;
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  });
})();
