// The deal board: drag cards between stages (SortableJS) and onto Won or Lost.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var csrf = (document.cookie.match(/(?:^|; )tessera_csrf=([^;]*)/) || [])[1] || "";
  var moveUrl = function (id) { return board.getAttribute("data-move-url").replace("/0/", "/" + id + "/"); };

  function cardId(element) { return element && element.getAttribute ? element.getAttribute("data-id") : null; }

  function neighbour(card, direction) {
    var node = card[direction];
    while (node && !cardId(node)) node = node[direction];
    return cardId(node);
  }

  function move(event) {
    var card = event.item;
    var target = event.to;
    var body = new URLSearchParams();
    body.set("stage", target.getAttribute("data-stage"));
    if (target.getAttribute("data-kind") === "lost") {
      var reason = window.prompt(board.getAttribute("data-lost-prompt"));
      if (!reason) { window.location.reload(); return; }
      body.set("lost_reason", reason);
    }
    var before = neighbour(card, "previousElementSibling");
    var after = neighbour(card, "nextElementSibling");
    if (before) body.set("before", before);
    if (after) body.set("after", after);
    fetch(moveUrl(cardId(card)), {
      method: "POST",
      headers: { "X-CSRFToken": decodeURIComponent(csrf), "X-Requested-With": "fetch" },
      body: body,
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        window.alert(board.getAttribute("data-error") + " " + result.data.error.message);
        window.location.reload();
      } else {
        Object.keys(result.data.columns || {}).forEach(function (stage) {
          var head = board.querySelector('[data-column-head="' + stage + '"]');
          if (head) head.innerHTML = result.data.columns[stage];
        });
        if (target.getAttribute("data-kind")) {
          card.classList.add("closed");
          window.setTimeout(function () { card.remove(); }, 400);
        }
      }
    }).catch(function () { window.location.reload(); });
  }

  if (window.Sortable) {
    document.querySelectorAll("[data-sortable]").forEach(function (list) {
      window.Sortable.create(list, {
        group: "deals", animation: 120, draggable: ".deal-card", filter: "input, textarea, select, summary, button",
        preventOnFilter: false, onEnd: function (event) { if (event.from !== event.to || event.oldIndex !== event.newIndex) move(event); },
      });
    });
  }
})();
