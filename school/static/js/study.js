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
  var lesson = Number(box.getAttribute("data-lesson"));
  var interval = parseFloat(box.getAttribute("data-beat-seconds")) * 1000;
  var most = parseFloat(box.getAttribute("data-beat-most-seconds")) * 1000;
  var offline = window.schoolOfflineStudy;
  var idleAfter = parseFloat(box.getAttribute("data-idle-seconds")) * 1000;
  var csrfInput = box.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";

  var lastActivity = Date.now();
  var timer = null;
  var playing = 0;
  var stopped = false;
  // One request at a time: beats that queued up behind a dead connection
  // would all arrive together when it comes back, and the server refuses
  // beats that come too soon after another.
  var sending = false;
  var endedPending = false;
  var offlineNotice = box.querySelector("[data-study-offline]");
  var stoppedNotice = box.querySelector("[data-study-stopped]");

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

  // Study while the network is down is noted on the phone (site.js) and
  // credited by the server, by the same rules, once it is sent.
  function keepOffline(kind) {
    if (offline) {
      offline.note(lesson, token, interval, most, kind);
    }
  }

  function notice(element, shown) {
    if (element) {
      element.hidden = !shown;
    }
  }

  function post(url, kind) {
    if (sending) {
      return;
    }
    if (navigator.onLine === false) {
      notice(offlineNotice, true);
      keepOffline(kind);
      return;
    }
    sending = true;
    var body = "token=" + encodeURIComponent(token) + "&kind=" + kind;
    var abort = window.AbortController ? new AbortController() : null;
    // A request stuck on a bad network gives up before the next beat is due.
    var limit = abort
      ? window.setTimeout(function () {
          abort.abort();
        }, interval)
      : null;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": csrf
      },
      body: body,
      signal: abort ? abort.signal : undefined
    })
      .then(function (response) {
        if ([400, 403, 404].indexOf(response.status) !== -1) {
          // Logged out, no longer a member, the lesson was unpublished, or the
          // page is too old (its token expired): only a reload can help.
          stopped = true;
          stop();
          notice(offlineNotice, false);
          notice(stoppedNotice, true);
          return null;
        }
        // A server error or a refusal for too many requests passes like a
        // lost connection: the next beat tries again at its usual time. (An
        // answer may land just after the phone went offline.)
        notice(offlineNotice, !response.ok || navigator.onLine === false);
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        // Refused while the credited time is short of the media's length
        // (the last beat may still be on its way): sent again after a beat.
        if (data && kind === "ended" && data.media_finished) {
          endedPending = false;
        }
        show(data);
        return Boolean(data);
      })
      .catch(function () {
        // A lost beat is kept on the phone, sent once the network is back.
        notice(offlineNotice, true);
        keepOffline(kind);
        return false;
      })
      .then(function (delivered) {
        sending = false;
        if (limit) {
          window.clearTimeout(limit);
        }
        if (delivered && endedPending && kind !== "ended") {
          post(mediaUrl, "ended");
        }
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

  window.addEventListener("offline", function () {
    notice(offlineNotice, true);
  });
  window.addEventListener("online", function () {
    // The next beat, at its usual time, shows whether recording goes on.
    notice(offlineNotice, false);
    if (endedPending && !stopped) {
      post(mediaUrl, "ended");
    }
  });

  document.addEventListener("school:offline-sent", function (event) {
    var lessons = (event.detail && event.detail.lessons) || {};
    show(lessons[String(lesson)]);
  });

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
      if (ended.length === media.length && !stopped) {
        // Kept until the server has it: played offline, it is sent once the
        // connection is back.
        endedPending = true;
        post(mediaUrl, "ended");
      }
    });
  });

  start();
})();
