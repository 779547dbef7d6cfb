/* Every page: the service worker, the elderly mode switch, and study done
 * offline waiting to be sent (the lesson page's study.js writes it). */
(function () {
  "use strict";

  var root = document.documentElement;
  var STORE = "school.offline-study";
  var REVALIDATED = "school.revalidated-at";

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }

  function stored(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Private browsing or a full disk: the mode or record is not kept.
    }
  }

  // --- Service worker ----------
  function askWorker(message) {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage(message);
    }
  }

  function revalidate(force) {
    var last = stored(REVALIDATED, 0);
    if (navigator.onLine !== false && (force || Date.now() - last > 10 * 60 * 1000)) {
      store(REVALIDATED, Date.now());
      askWorker({ type: "revalidate" });
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(function () {
        revalidate(false);
      })
      .catch(function () {
        // No worker (an old browser, private mode): the site works online.
      });
  }

  // --- Elderly mode ----------
  var switcher = document.querySelector("[data-elderly-switch]");
  function showMode() {
    if (switcher) {
      switcher.setAttribute("aria-pressed", String(root.classList.contains("elderly")));
    }
  }
  if (switcher) {
    showMode();
    switcher.addEventListener("click", function () {
      var on = !root.classList.contains("elderly");
      root.classList.toggle("elderly", on);
      store("school.elderly", on ? 1 : 0);
      showMode();
      var csrf = meta("csrf-token");
      var url = switcher.getAttribute("data-account-url");
      if (csrf && url && window.fetch) {
        // Remembered for the account too, on every phone the member uses.
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": csrf
          },
          body: "elderly=" + (on ? "1" : "0")
        }).catch(function () {});
      }
    });
  }

  // --- Study done offline ----------
  function minutes(seconds) {
    return String(Math.round(seconds / 6) / 10);
  }

  // What the server will credit at most, by the live beats' own rule.
  function estimate(record) {
    var total = 0;
    for (var i = 1; i < record.beats.length; i += 1) {
      var gap = record.beats[i] - record.beats[i - 1];
      var start = record.starts.indexOf(record.beats[i]) !== -1;
      if (gap >= record.interval / 2 && !(start && gap > record.most)) {
        total += Math.min(gap, record.most);
      }
    }
    return total / 1000;
  }

  function records() {
    return stored(STORE, []);
  }

  function pendingSeconds() {
    return records().reduce(function (sum, record) {
      return sum + estimate(record);
    }, 0);
  }

  function showPending() {
    var seconds = pendingSeconds();
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-offline-study]"),
      function (element) {
        var text = element.getAttribute("data-template");
        element.textContent = text.replace("N", minutes(seconds));
        element.hidden = seconds < 1;
      }
    );
  }

  function showCredited(seconds) {
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-offline-credited]"),
      function (element) {
        var text = element.getAttribute("data-template");
        element.textContent = text.replace("N", minutes(seconds));
        element.hidden = false;
      }
    );
  }

  var sending = false;

  function sync() {
    var csrf = meta("csrf-token");
    var url = meta("offline-study-url");
    var waiting = records();
    if (sending || !csrf || !url || !waiting.length || navigator.onLine === false) {
      return Promise.resolve(null);
    }
    sending = true;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ records: waiting })
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        sending = false;
        if (!data) {
          return null;
        }
        // Settled records (credited or refused for good) leave the phone.
        var settled = data.settled || [];
        store(
          STORE,
          records().filter(function (record) {
            return settled.indexOf(record.id) === -1;
          })
        );
        showPending();
        if (data.credited_seconds > 0) {
          showCredited(data.credited_seconds);
          if (document.querySelector("[data-reload-after-offline-credit]")) {
            window.location.reload();
          }
        }
        document.dispatchEvent(new CustomEvent("school:offline-sent", { detail: data }));
        return data;
      })
      .catch(function () {
        sending = false;
        return null;
      });
  }

  window.schoolOfflineStudy = {
    // One beat's moment, noted while the network is down.
    note: function (lesson, token, interval, most, kind) {
      var all = records();
      var record = all.filter(function (item) {
        return item.lesson === lesson && item.open;
      })[0];
      if (!record) {
        record = {
          id: window.crypto && crypto.randomUUID
            ? crypto.randomUUID()
            : String(Date.now()) + "-" + String(Math.random()).slice(2),
          lesson: lesson,
          token: token,
          interval: interval,
          most: most,
          beats: [],
          starts: [],
          media_ended: false,
          open: true
        };
        all.push(record);
      }
      var now = Date.now();
      if (kind === "ended") {
        record.media_ended = true;
      } else if (!record.beats.length || now - record.beats[record.beats.length - 1] >= interval / 2) {
        // Beats too close together earn nothing on the server either.
        record.beats.push(now);
        if (kind === "start") {
          record.starts.push(now);
        }
      }
      store(STORE, all);
      showPending();
    },
    // The network is back: this page's open records are complete.
    close: function () {
      store(
        STORE,
        records().map(function (record) {
          record.open = false;
          return record;
        })
      );
    },
    sync: sync,
    pendingSeconds: pendingSeconds
  };

  window.addEventListener("online", function () {
    window.schoolOfflineStudy.close();
    sync();
    revalidate(true);
  });
  showPending();
  if (navigator.onLine !== false) {
    window.schoolOfflineStudy.close();
    sync();
  }
})();
