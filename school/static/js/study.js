/* Study heartbeat for lesson pages.
 *
 * While the page is visible (Page Visibility API) and the member has been
 * active recently (or media is playing), the page tells the server "still
 * here" every few seconds. The server alone decides how much time that earns;
 * this script sends no durations. Configuration comes from data attributes on
 * the [data-study] box (no inline script, so a strict CSP holds).
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-study]");
  if (!box || !window.fetch) {
    return;
  }

  var beatUrl = box.getAttribute("data-beat-url");
  var mediaUrl = box.getAttribute("data-media-url");
  var token = box.getAttribute("data-token");
  var interval = parseFloat(box.getAttribute("data-beat-seconds")) * 1000;
  var idleAfter = parseFloat(box.getAttribute("data-idle-seconds")) * 1000;
  var csrfInput = box.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";

  var lastActivity = Date.now();
  var timer = null;
  var playing = 0;
  var stopped = false;

  function visible() {
    return document.visibilityState === "visible";
  }

  function active() {
    return visible() && (playing > 0 || Date.now() - lastActivity < idleAfter);
  }

  function show(data) {
    if (!data || data.credited_minutes === undefined) {
      return;
    }
    var minutes = box.querySelector("[data-study-minutes]");
    var bar = box.querySelector("[data-study-bar]");
    if (minutes) {
      minutes.textContent = data.credited_minutes;
    }
    if (bar) {
      bar.value = data.percent;
    }
    box.setAttribute("data-credited-seconds", data.credited_seconds);
    if (data.media_finished) {
      var media = box.querySelector("[data-study-media-status]");
      if (media) {
        media.textContent = media.getAttribute("data-done-text");
      }
    }
  }

  function post(url, kind) {
    var body = "token=" + encodeURIComponent(token) + "&kind=" + kind;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": csrf
      },
      body: body
    })
      .then(function (response) {
        if (response.status === 403 || response.status === 404) {
          // Logged out, no longer a member, or the lesson was unpublished.
          stopped = true;
          stop();
        }
        return response.ok ? response.json() : null;
      })
      .then(show)
      .catch(function () {
        /* A lost beat only costs its own seconds; the next one carries on. */
      });
  }

  function tick() {
    if (active()) {
      post(beatUrl, "beat");
    } else {
      stop();
    }
  }

  function start() {
    if (timer || stopped || !active()) {
      return;
    }
    post(beatUrl, "start");
    timer = window.setInterval(tick, interval);
  }

  function stop() {
    if (timer) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (visible()) {
      lastActivity = Date.now();
      start();
    } else {
      stop();
    }
  });

  ["pointerdown", "pointermove", "keydown", "scroll", "touchstart", "wheel"].forEach(
    function (name) {
      window.addEventListener(
        name,
        function () {
          lastActivity = Date.now();
          start();
        },
        { passive: true }
      );
    }
  );

  var media = Array.prototype.slice.call(
    document.querySelectorAll("[data-study-media]")
  );
  var ended = [];
  media.forEach(function (element) {
    element.addEventListener("play", function () {
      playing += 1;
      start();
    });
    element.addEventListener("pause", function () {
      playing = Math.max(0, playing - 1);
      lastActivity = Date.now();
    });
    element.addEventListener("ended", function () {
      if (ended.indexOf(element) === -1) {
        ended.push(element);
      }
      if (ended.length === media.length) {
        post(mediaUrl, "ended");
      }
    });
  });

  start();
})();
