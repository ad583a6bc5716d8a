// Make-up by recording: tells the Hub where the player is while it plays, so that the part played counts.
// The server decides what counts (sessions.services.recording_progress): a stretch played forward no faster
// than the clock. This script only reports the position and shows the figure the server returns.
(function () {
  "use strict";
  var section = document.querySelector("section.makeup[data-progress-url]");
  var player = document.querySelector("audio, video");
  if (!section || !player) { return; }
  var url = section.getAttribute("data-progress-url");
  var token = section.querySelector("input[name=csrfmiddlewaretoken]");
  var bar = section.querySelector("progress");
  var label = section.querySelector(".makeup-percent");
  var timer = null;

  function show(data) {
    if (typeof data.percent !== "number") { return; }
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    label.textContent = data.percent + "% played" + (data.played_enough ? ", enough to count" : "") +
      (data.counted ? ". Counted toward your renewal." : "");
  }

  function report() {
    var body = new URLSearchParams();
    body.set("position", String(player.currentTime));
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch"}
    }).then(function (response) { return response.ok ? response.json() : {}; })
      .then(show).catch(function () { /* offline: the next report carries on from here */ });
  }

  player.addEventListener("playing", function () {
    report();
    if (timer === null) { timer = window.setInterval(report, 5000); }
  });
  ["pause", "ended", "seeked"].forEach(function (name) {
    player.addEventListener(name, function () {
      report();
      if (name !== "seeked" && timer !== null) { window.clearInterval(timer); timer = null; }
    });
  });
})();
