/* The live case board: keeps the list of open cases current over /ws/board/<district>/.
 * Works on the server-rendered page (forms post without JS); this only re-renders list items when the
 * server pushes case.opened, case.volunteered, case.closed or case.assigned. No student name or id is
 * ever sent: only what the coordinator chose to share.
 *
 * The card's markup exists once, in coordinators/includes/case_card.html: the page renders it for each
 * case and once, empty, in <template id="case-card">; a pushed case is a clone of that template with
 * its slots filled (textContent and attributes only, never HTML). The include documents the slots. */
(function () {
  "use strict";
  var root = document.getElementById("case-board");
  var cardTemplate = document.getElementById("case-card");
  var volunteerTemplate = document.getElementById("case-card-volunteer");
  if (!root || !cardTemplate || !volunteerTemplate || !("WebSocket" in window)) { return; }
  var list = root.querySelector("[data-board-list]");
  var empty = list.querySelector("[data-board-empty]");
  var status = root.querySelector("[data-board-status]");
  var count = root.querySelector("[data-board-count]");
  var retry = 1000;

  function each(scope, selector, fn) {
    Array.prototype.forEach.call(scope.querySelectorAll(selector), fn);
  }

  function present(value) {
    return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== "";
  }

  // Fills the data-field, data-shown-if and data-hidden-if slots of `scope` from `values`.
  function fill(scope, values) {
    Object.keys(values).forEach(function (name) {
      var value = values[name];
      each(scope, '[data-field="' + name + '"]', function (node) {
        node.textContent = present(value) ? String(value) : "";
      });
      each(scope, '[data-shown-if="' + name + '"]', function (node) { node.hidden = !present(value); });
      each(scope, '[data-hidden-if="' + name + '"]', function (node) { node.hidden = present(value); });
    });
  }

  function volunteerItem(v) {
    var li = volunteerTemplate.content.firstElementChild.cloneNode(true);
    fill(li, { visitor: v.visitor.name, partner: v.partner ? v.partner.name : null });
    return li;
  }

  // The volunteers part of a card: the list, and the options of the assignment selects.
  function fillVolunteers(card, volunteers) {
    fill(card, { volunteers: volunteers });
    each(card, "[data-volunteer-list]", function (ul) {
      ul.replaceChildren.apply(ul, volunteers.map(volunteerItem));
    });
    each(card, "select[data-volunteer-options]", function (select) {
      var suffix = select.dataset.pairSuffix || "";
      while (select.options.length > 1) { select.remove(1); }  // keep "Choose…" / "Nobody"
      volunteers.forEach(function (v) {
        select.add(new Option(v.visitor.name, String(v.visitor.id)));
        if (v.partner) { select.add(new Option(v.partner.name + suffix, String(v.partner.id))); }
      });
    });
  }

  function render(c) {
    var card = cardTemplate.content.firstElementChild.cloneNode(true);
    var number = String(c.case);
    card.dataset.case = number;
    fill(card, { "case": number, grade_band: c.grade_band, school: c.school, note: c.note });
    each(card, "input[data-case-value]", function (input) { input.value = number; });
    each(card, "[data-id]", function (node) { node.id = node.dataset.id + "-" + number; });
    each(card, "label[data-for]", function (label) { label.htmlFor = label.dataset.for + "-" + number; });
    fillVolunteers(card, c.volunteers || []);
    return card;
  }

  function item(caseId) { return list.querySelector('li[data-case="' + caseId + '"]'); }

  function refresh() {
    var n = list.querySelectorAll("li[data-case]").length;
    if (count) { count.textContent = String(n); }
    if (empty) { empty.hidden = n > 0; }
  }

  function say(text) { if (status) { status.textContent = text; } }

  // Is the person filling in one of this card's forms (focus in it, or a pair or visitor chosen)?
  function busy(card) {
    return card.contains(document.activeElement) ||
      Array.prototype.some.call(card.querySelectorAll("select"), function (s) { return s.selectedIndex > 0; });
  }

  function upsert(c, announce) {
    var old = item(c.case);
    var fresh = render(c);
    if (old) {
      // Keep a form the person is filling in: only replace the volunteers part then.
      if (busy(old)) {
        old.querySelector("[data-volunteers]").replaceWith(fresh.querySelector("[data-volunteers]"));
      } else {
        old.replaceWith(fresh);
      }
    } else {
      list.insertBefore(fresh, empty);
    }
    refresh();
    if (announce) { say(announce); }
  }

  function remove(caseId, announce) {
    var old = item(caseId);
    if (old) { old.remove(); }
    refresh();
    say(announce);
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "snapshot":
        root.dataset.connection = "live";
        var seen = {};
        frame.cases.forEach(function (c) { seen[c.case] = true; upsert(c); });
        each(list, "li[data-case]", function (li) {
          if (!seen[li.dataset.case]) { li.remove(); }
        });
        refresh();
        break;
      case "case.opened": upsert(frame.case, "Case " + frame.case.case + " is open for volunteers."); break;
      case "case.volunteered": upsert(frame.case, "Volunteers changed for case " + frame.case.case + "."); break;
      case "case.closed": remove(frame.case, "Case " + frame.case + " was taken off the board."); break;
      case "case.assigned": remove(frame.case, "Case " + frame.case + " has its visitors."); break;
      case "error": say(frame.message); break;
      default: break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    root.dataset.connection = "connecting";  // "live" once the snapshot is in
    var socket = new WebSocket(scheme + window.location.host + root.dataset.boardSocket);
    socket.addEventListener("open", function () { retry = 1000; });
    socket.addEventListener("message", function (event) {
      try { onFrame(JSON.parse(event.data)); } catch (e) { /* a frame we can't read: ignore it */ }
    });
    socket.addEventListener("close", function (event) {
      root.dataset.connection = "closed";
      if (event.code === 4401 || event.code === 4403) { return; }  // signed out or not allowed: stop
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  connect();
}());
