/* The live case board: keeps the list of open cases current over /ws/board/<district>/.
 * Works on the server-rendered page (forms post without JS); this only re-renders list items when the
 * server pushes case.opened, case.volunteered, case.closed or case.assigned. No student name or id is
 * ever sent: only what the coordinator chose to share. */
(function () {
  "use strict";
  var root = document.getElementById("case-board");
  if (!root || !("WebSocket" in window)) { return; }
  var list = root.querySelector("[data-board-list]");
  var status = root.querySelector("[data-board-status]");
  var count = root.querySelector("[data-board-count]");
  var partnerTemplate = root.querySelector("template[data-partner-options]");
  var canAssign = root.dataset.canAssign === "1";
  var canVolunteer = root.dataset.canVolunteer === "1";
  var csrf = root.dataset.csrf;
  var retry = 1000;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function hiddenLabel(text) { return el("span", { "class": "visually-hidden" }, text); }

  function select(id, name, first, options, required) {
    var s = el("select", { id: id, name: name });
    if (required) { s.required = true; }
    s.appendChild(el("option", { value: "" }, first));
    options.forEach(function (o) { s.appendChild(el("option", { value: String(o.id) }, o.name)); });
    return s;
  }

  function form(caseId) {
    var f = el("form", { method: "post", "class": "inline-fields" });
    f.appendChild(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf }));
    f.appendChild(el("input", { type: "hidden", name: "case", value: String(caseId) }));
    return f;
  }

  function button(action, label, hidden, secondary) {
    var b = el("button", { type: "submit", name: "action", value: action, "class": secondary ? "button button-secondary" : "button" }, label);
    b.appendChild(hiddenLabel(hidden));
    return b;
  }

  function render(c) {
    var li = el("li", { "class": "case-card", "data-case": String(c.case) });
    var title = "Case " + c.case + (c.grade_band ? " · " + c.grade_band : "") + (c.school ? " · " + c.school : "");
    li.appendChild(el("h3", {}, title));
    if (c.note) { li.appendChild(el("p", {}, c.note)); }
    var names = c.volunteers.map(function (v) {
      return v.visitor.name + (v.partner ? " (with " + v.partner.name + ")" : "");
    });
    li.appendChild(el("p", { "data-volunteers": "" }, names.length ? "Volunteers: " + names.join("; ") : "No volunteers yet."));
    if (canVolunteer) {
      var f = form(c.case);
      f.appendChild(el("label", { "for": "partner-" + c.case }, "Your pair (optional)"));
      var s = el("select", { id: "partner-" + c.case, name: "partner" });
      s.appendChild(el("option", { value: "" }, "Nobody named yet"));
      if (partnerTemplate) { s.appendChild(partnerTemplate.content.cloneNode(true)); }
      f.appendChild(s);
      f.appendChild(button("volunteer", "Volunteer", " for case " + c.case));
      f.appendChild(button("withdraw", "Withdraw", " from case " + c.case, true));
      li.appendChild(f);
    }
    if (canAssign) {
      var people = [];
      c.volunteers.forEach(function (v) {
        people.push(v.visitor);
        if (v.partner) { people.push({ id: v.partner.id, name: v.partner.name + " (named pair)" }); }
      });
      var a = form(c.case);
      a.appendChild(el("label", { "for": "v1-" + c.case }, "First visitor"));
      a.appendChild(select("v1-" + c.case, "visitor_1", "Choose…", people, true));
      a.appendChild(el("label", { "for": "v2-" + c.case }, "Second visitor"));
      a.appendChild(select("v2-" + c.case, "visitor_2", "Nobody", people, false));
      a.appendChild(button("assign", "Assign", " case " + c.case));
      a.appendChild(button("close", "Take off the board", " (case " + c.case + ")", true));
      li.appendChild(a);
    }
    return li;
  }

  function item(caseId) { return list.querySelector('li[data-case="' + caseId + '"]'); }

  function refresh() {
    var n = list.querySelectorAll("li[data-case]").length;
    var empty = list.querySelector("[data-board-empty]");
    if (count) { count.textContent = "(" + n + ")"; }
    if (n && empty) { empty.remove(); }
    if (!n && !empty) { list.appendChild(el("li", { "data-board-empty": "" }, "No cases are open for volunteers right now.")); }
  }

  function say(text) { if (status) { status.textContent = text; } }

  function upsert(c, announce) {
    var old = item(c.case);
    var fresh = render(c);
    if (old) {
      // Keep a form the person is filling in: only replace the volunteers line then.
      if (old.contains(document.activeElement)) {
        old.querySelector("[data-volunteers]").replaceWith(fresh.querySelector("[data-volunteers]"));
      } else {
        old.replaceWith(fresh);
      }
    } else {
      list.appendChild(fresh);
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
        var seen = {};
        frame.cases.forEach(function (c) { seen[c.case] = true; upsert(c); });
        list.querySelectorAll("li[data-case]").forEach(function (li) {
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
    var socket = new WebSocket(scheme + window.location.host + root.dataset.boardSocket);
    socket.addEventListener("open", function () { retry = 1000; });
    socket.addEventListener("message", function (event) {
      try { onFrame(JSON.parse(event.data)); } catch (e) { /* a frame we can't read: ignore it */ }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401 || event.code === 4403) { return; }  // signed out or not allowed: stop
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  connect();
}());
