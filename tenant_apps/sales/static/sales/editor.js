// The document editor: add, remove and reorder lines, quick-add from the catalogue,
// contact suggestions, and live totals for display (the server recomputes them on save
// with the rules of tenant_apps/sales/totals.py). Without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("document-editor");
  if (!form) return;
  form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  form.querySelectorAll(".no-js-only").forEach(function (el) { el.hidden = true; });
  form.querySelectorAll(".line-order").forEach(function (el) { el.hidden = true; });

  var lines = form.querySelector("[data-lines]");
  var template = document.getElementById("line-template");
  var total = form.querySelector("#id_lines-TOTAL_FORMS");
  var taxes = JSON.parse(document.getElementById("tax-rates-data").textContent);
  Object.keys(taxes).forEach(function (id) { taxes[id].rate = parseFloat(taxes[id].rate); });
  var lang = document.documentElement.lang || "en";
  var currencyInput = form.querySelector("#id_currency");

  function number(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    var value = parseFloat(cleaned);
    return isFinite(value) ? value : 0;
  }
  // Half-up to the cent, on integers of cents so that 1.005 does not become 1.00.
  function cents(value) { return Math.sign(value) * Math.round(Math.abs(value) * 100 + 1e-7) / 100; }
  function money(value) {
    var text = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    return text + " " + (currencyInput.value || "").toUpperCase();
  }
  function field(row, name) { return row.querySelector("[data-line=" + name + "]"); }
  function rows() { return Array.prototype.slice.call(lines.querySelectorAll("[data-line-row]")); }
  function removed(row) {
    var box = row.querySelector("input[name$='-DELETE']");
    return box && box.checked;
  }

  function renumber() {
    rows().forEach(function (row, index) {
      var order = row.querySelector("input[name$='-ORDER']");
      if (order) order.value = index + 1;
    });
  }

  function recompute() {
    var includeTax = form.querySelector("#id_prices_include_tax").checked;
    var items = [];
    rows().forEach(function (row) {
      var out = row.querySelector("[data-line-amount]");
      if (removed(row)) { out.textContent = ""; row.classList.add("removed"); return; }
      row.classList.remove("removed");
      var quantity = number(field(row, "quantity").value);
      var price = number(field(row, "unit_price").value);
      var discount = number(field(row, "discount").value);
      var amount = cents(quantity * price * (100 - discount) / 100);
      out.textContent = (field(row, "description").value || quantity) ? money(amount) : "";
      var rates = Array.prototype.filter.call(field(row, "taxes").options, function (o) { return o.selected; })
        .map(function (o) { return taxes[o.value]; }).filter(Boolean);
      items.push({ amount: amount, rates: rates });
    });
    var subtotal = items.reduce(function (sum, item) { return sum + item.amount; }, 0);
    var docDiscount = cents(subtotal * number(form.querySelector("#id_discount_percent").value) / 100);
    var perRate = {};
    items.forEach(function (item) {
      var base = subtotal ? item.amount - docDiscount * item.amount / subtotal : 0;
      var combined = item.rates.reduce(function (sum, t) { return sum + t.rate; }, 0);
      item.rates.forEach(function (t) {
        var key = t.name + " " + t.rate;
        var taxBase = includeTax ? base * 100 / (100 + combined) : base;
        perRate[key] = (perRate[key] || 0) + taxBase * t.rate / 100;
      });
    });
    var tax = Object.keys(perRate).reduce(function (sum, key) { return sum + cents(perRate[key]); }, 0);
    var grand = includeTax ? subtotal - docDiscount : subtotal - docDiscount + tax;
    var net = includeTax ? grand - tax : subtotal - docDiscount;
    var show = function (name, value) { form.querySelector("[data-total=" + name + "]").textContent = money(value); };
    show("subtotal", subtotal); show("discount", docDiscount); show("net", net); show("tax", tax); show("total", grand);
  }

  function addLine() {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("[data-line-row]");
    row.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    row.querySelectorAll(".line-order").forEach(function (el) { el.hidden = true; });
    lines.appendChild(row);
    total.value = index + 1;
    renumber();
    return row;
  }

  function emptyRow() {
    var candidates = rows().filter(function (row) {
      return !removed(row) && !field(row, "description").value.trim() && !field(row, "unit_price").value.trim();
    });
    return candidates.length ? candidates[0] : addLine();
  }

  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-add-line]")) {
      var row = addLine();
      field(row, "description").focus();
      recompute();
      return;
    }
    var up = event.target.closest("[data-line-up]");
    var down = event.target.closest("[data-line-down]");
    if (up || down) {
      var current = (up || down).closest("[data-line-row]");
      if (up && current.previousElementSibling) lines.insertBefore(current, current.previousElementSibling);
      if (down && current.nextElementSibling) lines.insertBefore(current.nextElementSibling, current);
      renumber();
      (up || down).focus();
    }
  });
  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  form.addEventListener("submit", renumber);

  // Quantity tiers: a product line's price follows its quantity.
  var lookup = form.getAttribute("data-product-lookup");
  form.addEventListener("change", function (event) {
    if (event.target.getAttribute("data-line") !== "quantity") return;
    var row = event.target.closest("[data-line-row]");
    var product = field(row, "product").value;
    if (!product) return;
    var url = lookup + "?id=" + encodeURIComponent(product) + "&currency=" + encodeURIComponent(currencyInput.value) +
      "&quantity=" + encodeURIComponent(number(event.target.value) || 1);
    fetch(url, { headers: { "X-Requested-With": "fetch" } }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.unit_price !== null) { field(row, "unit_price").value = data.unit_price; recompute(); }
      });
  });

  // Quick-add from the catalogue.
  var search = form.querySelector("[data-product-search]");
  var results = form.querySelector("[data-product-results]");
  var timer = null;
  function showResults(data) {
    results.innerHTML = "";
    if (!data.results.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = document.getElementById("no-products-message").content.textContent;
      results.appendChild(none);
      return;
    }
    data.results.forEach(function (product) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "product-option";
      button.setAttribute("data-product-id", product.id);
      button.textContent = product.sku + " — " + product.name +
        (product.unit_price !== null ? " · " + money(number(product.unit_price)) : "");
      button.addEventListener("click", function () { addProduct(product); });
      item.appendChild(button);
      results.appendChild(item);
    });
  }
  function addProduct(product) {
    var row = emptyRow();
    field(row, "product").value = product.id;
    field(row, "description").value = product.name;
    field(row, "unit").value = product.unit || "";
    if (!field(row, "quantity").value) field(row, "quantity").value = "1";
    field(row, "unit_price").value = product.unit_price !== null ? product.unit_price : "";
    Array.prototype.forEach.call(field(row, "taxes").options, function (option) {
      option.selected = product.tax_rate_ids.indexOf(parseInt(option.value, 10)) !== -1;
    });
    if (product.unit_price === null) window.alert(document.getElementById("no-price-message").content.textContent);
    results.innerHTML = "";
    search.value = "";
    recompute();
    field(row, "quantity").focus();
  }
  if (search) {
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = lookup + "?q=" + encodeURIComponent(search.value.trim()) + "&currency=" + encodeURIComponent(currencyInput.value);
        fetch(url, { headers: { "X-Requested-With": "fetch" } }).then(function (r) { return r.json(); }).then(showResults);
      }, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // Enter picks the first match instead of saving the form
        event.preventDefault();
        var first = results.querySelector(".product-option");
        if (first) first.click();
      }
    });
  }

  // Contact suggestions: picking one fills in the contact's id and, if empty, their company.
  var contactInput = form.querySelector("#id_contact_name");
  var contactList = document.getElementById("contact-suggestions");
  var known = {};
  var contactTimer = null;
  contactInput.addEventListener("input", function () {
    var picked = known[contactInput.value];
    if (picked) {
      form.querySelector("#id_contact").value = picked.id;
      var company = form.querySelector("#id_company_name");
      if (!company.value && picked.company) {
        company.value = picked.company;
        form.querySelector("#id_company").value = picked.company_id;
      }
      return;
    }
    form.querySelector("#id_contact").value = "";
    clearTimeout(contactTimer);
    contactTimer = setTimeout(function () {
      if (contactInput.value.trim().length < 2) return;
      fetch(form.getAttribute("data-contact-lookup") + "?q=" + encodeURIComponent(contactInput.value.trim()))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          contactList.innerHTML = "";
          data.results.forEach(function (result) {
            known[result.label] = result;
            var option = document.createElement("option");
            option.value = result.label;
            if (result.company) option.label = result.company;
            contactList.appendChild(option);
          });
        });
    }, 200);
  });
  form.querySelector("#id_company_name").addEventListener("input", function () {
    form.querySelector("#id_company").value = "";
  });

  renumber();
  recompute();
})();
