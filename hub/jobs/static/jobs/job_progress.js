/* A job's page: polls /jobs/<id>/status and moves the progress bar and its text, without reloading.
 * When the job is done it reloads once, so the server renders the result (row errors, the download).
 * Without JavaScript the page refreshes itself every 3 s (<noscript><meta http-equiv="refresh">). */
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root || !root.hasAttribute("data-job-running") || !window.fetch) { return; }
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var delay = 1000;

  function field(name) { return root.querySelector('[data-job-field="' + name + '"]'); }

  function show(status) {
    if (status.rows_total !== null) {
      bar.max = Math.max(status.rows_total, 1);
      bar.value = Math.min(status.rows_done, bar.max);
    }
    field("text").textContent = status.text;
    field("state_label").textContent = status.state_label;
    var notice = field("notice");
    notice.textContent = status.notice;
    notice.hidden = !status.notice;
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.done) { window.location.reload(); return; }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or away: try again, less often
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
}());
