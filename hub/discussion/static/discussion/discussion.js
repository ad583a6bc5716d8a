/* Live updates for a discussion room (the protocol: hub/discussion_protocol.md).
 *
 * The page works without this file: it lists the latest messages and posts through a plain form. With
 * it, the page joins the room over a websocket, shows new messages as they are stored, sends messages
 * with a client id (a resend is stored once) and, after a dropped connection, reconnects and asks for
 * what it missed (`join` with `since` = the last message id it has). No framework, no inline script:
 * what the script needs is in data- attributes of #discussion.
 */
(function () {
  "use strict";

  var root = document.getElementById("discussion");
  if (!root || !("WebSocket" in window) || root.dataset.live !== "1") {
    return;
  }
  var room = root.dataset.room;
  var me = root.dataset.me;
  var lastId = parseInt(root.dataset.lastId || "0", 10) || 0;
  var list = root.querySelector(".msg-list");
  var form = root.querySelector(".discussion-form");
  var textarea = form.querySelector("textarea[name=body]");
  var statusLine = root.querySelector(".discussion-status");
  var socket = null;
  var isOpen = false;
  var stopped = false;
  var retries = 0;
  var pending = {}; // client_id -> frame; resent after a reconnect, stored once by the server
  var readTimer = null;

  function clientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function say(text, isError) {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("is-error", Boolean(isError));
  }

  function send(frame) {
    if (socket && isOpen) {
      socket.send(JSON.stringify(frame));
    }
  }

  function when(iso) {
    var date = new Date(iso);
    var node = document.createElement("time");
    node.dateTime = iso;
    node.textContent = date.toLocaleString([], {month: "short", day: "numeric", hour: "numeric", minute: "2-digit"});
    return node;
  }

  function fill(item, m) {
    item.textContent = "";
    item.className = "msg";
    item.id = "m" + m.id;
    item.dataset.id = String(m.id);
    item.dataset.clientId = m.client_id;
    if (m.author.username === me) {
      item.classList.add("msg-mine");
    }
    var meta = document.createElement("p");
    meta.className = "msg-meta";
    var author = document.createElement("strong");
    author.className = "msg-author";
    author.textContent = m.author.name;
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(when(m.created_at));
    if (m.edited_at) {
      meta.appendChild(document.createTextNode(" (edited)"));
    }
    var body = document.createElement("p");
    body.className = "msg-body";
    if (m.deleted) {
      item.classList.add("msg-deleted");
      body.classList.add("msg-tombstone");
      body.textContent = "This message was deleted.";
    } else if (m.hidden) {
      item.classList.add("msg-hidden");
      body.classList.add("msg-tombstone");
      body.textContent = "Hidden by a moderator: " + m.hidden_reason;
    } else {
      body.innerHTML = m.html; // escaped by the server first, then only http(s) links made into <a>
    }
    item.appendChild(meta);
    item.appendChild(body);
  }

  function pendingItem(cid) {
    var items = list.querySelectorAll("li.msg-pending");
    for (var i = 0; i < items.length; i += 1) {
      if (items[i].dataset.clientId === cid) {
        return items[i];
      }
    }
    return null;
  }

  function upsert(m, changed) {
    var item = document.getElementById("m" + m.id);
    if (item && !changed) {
      return; // already shown (a duplicate from the catch-up and the live stream)
    }
    if (!item) {
      item = pendingItem(m.client_id);
      if (!item) {
        item = document.createElement("li");
        list.appendChild(item);
      }
      var empty = root.querySelector(".empty-room");
      if (empty) {
        empty.remove();
      }
    }
    fill(item, m);
    if (m.id > lastId) {
      lastId = m.id;
    }
  }

  function markRead() {
    if (readTimer) {
      return;
    }
    readTimer = window.setTimeout(function () {
      readTimer = null;
      if (document.visibilityState === "visible" && lastId) {
        send({type: "read", room: room, id: lastId});
      }
    }, 800);
  }

  function handle(frame) {
    switch (frame.type) {
    case "joined":
      root.dataset.connection = "live";
      frame.messages.forEach(function (m) { upsert(m, false); });
      if (frame.more) {
        send({type: "join", room: room, since: lastId});
      }
      say("");
      markRead();
      break;
    case "message":
      if (frame.room === room) {
        upsert(frame.message, false);
        markRead();
      }
      break;
    case "edit":
    case "delete":
    case "hide":
      if (frame.room === room) {
        upsert(frame.message, true);
      }
      break;
    case "ack":
      if (frame.client_id && pending[frame.client_id]) {
        delete pending[frame.client_id];
      }
      if (frame.message && frame.message.room === room) {
        upsert(frame.message, true);
      }
      break;
    case "mention":
      say(frame.message.author.name + " mentioned you in " + frame.room_title + ".");
      break;
    case "left":
      if (frame.room === room) {
        stopped = true;
        say("You can no longer read this room.", true);
        socket.close();
      }
      break;
    case "error":
      if (frame.client_id && pending[frame.client_id]) {
        delete pending[frame.client_id];
        var failed = pendingItem(frame.client_id);
        if (failed) {
          if (!textarea.value) {
            textarea.value = failed.querySelector(".msg-body").textContent;
          }
          failed.remove();
        }
      }
      say(frame.message, true);
      break;
    default:
      break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    root.dataset.connection = "connecting";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket.addEventListener("open", function () {
      isOpen = true;
      retries = 0;
      send({type: "join", room: room, since: lastId});
      Object.keys(pending).forEach(function (cid) { send(pending[cid]); });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", function (event) {
      isOpen = false;
      root.dataset.connection = "closed";
      if (event.code === 4401) {
        stopped = true;
        say("You are signed out. Sign in again to keep talking.", true);
      }
      if (stopped) {
        return;
      }
      var delay = Math.min(30000, 1000 * Math.pow(2, retries)) + Math.floor(Math.random() * 500);
      retries += 1;
      say("Connection lost: reconnecting…");
      window.setTimeout(connect, delay);
    });
  }

  form.addEventListener("submit", function (event) {
    var body = textarea.value.trim();
    if (!isOpen || !body) {
      return; // the plain form posts it
    }
    event.preventDefault();
    var cid = clientId();
    var frame = {type: "message", room: room, client_id: cid, body: body};
    pending[cid] = frame;
    var item = document.createElement("li");
    item.className = "msg msg-mine msg-pending";
    item.dataset.clientId = cid;
    var text = document.createElement("p");
    text.className = "msg-body";
    text.textContent = body;
    item.appendChild(text);
    list.appendChild(item);
    textarea.value = "";
    send(frame);
  });

  document.addEventListener("visibilitychange", markRead);
  connect();
}());
