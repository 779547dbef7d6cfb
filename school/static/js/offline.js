/* 保存到手机: a course's page, its lessons, their pictures and audio (videos
 * only when asked, their size shown first) go into a cache of their own,
 * "course-<id>", which the service worker (/sw.js) answers from offline. */
(function () {
  "use strict";

  var panel = document.querySelector("[data-save-course]");
  if (!panel || !window.caches || !navigator.serviceWorker || !window.fetch) {
    return;
  }
  var name = "course-" + panel.getAttribute("data-save-course");
  var META = "/__saved__";
  var texts = panel.querySelector("[data-save-texts]");
  var status = panel.querySelector("[data-save-status]");
  var startButton = panel.querySelector("[data-save-start]");
  var videoButton = panel.querySelector("[data-save-video]");
  var removeButton = panel.querySelector("[data-save-remove]");
  var marks = Array.prototype.slice.call(document.querySelectorAll("[data-offline-lesson]"));
  var lessons = marks.map(function (mark) {
    return mark.getAttribute("data-offline-lesson");
  });
  var pendingVideos = [];
  var firstText = startButton.textContent;

  function text(key) {
    return texts.getAttribute("data-" + key);
  }

  function megabytes(bytes) {
    return String(Math.max(0.1, Math.round(bytes / 104857.6) / 10));
  }

  function absolute(url, base) {
    try {
      var full = new URL(url, base);
      return full.origin === window.location.origin ? full.pathname + full.search : null;
    } catch (error) {
      return null;
    }
  }

  // Pictures, audio and (apart) videos that a saved page shows.
  function assetsOf(html, base) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = { files: [], videos: [] };
    function add(list, url) {
      var path = url && absolute(url, base);
      if (path && list.indexOf(path) === -1) {
        list.push(path);
      }
    }
    Array.prototype.forEach.call(doc.querySelectorAll("main img, main source[srcset]"), function (element) {
      add(found.files, element.getAttribute("src"));
      (element.getAttribute("srcset") || "").split(",").forEach(function (candidate) {
        add(found.files, candidate.trim().split(/\s+/)[0]);
      });
    });
    Array.prototype.forEach.call(doc.querySelectorAll("main audio"), function (element) {
      add(found.files, element.getAttribute("src"));
    });
    Array.prototype.forEach.call(doc.querySelectorAll("main video"), function (element) {
      add(found.files, element.getAttribute("poster"));
      add(found.videos, element.getAttribute("src"));
    });
    return found;
  }

  function readMeta(cache) {
    return cache.match(META).then(function (response) {
      return response ? response.json() : null;
    });
  }

  function store(cache, url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("not saved: " + url);
      }
      return response
        .clone()
        .blob()
        .then(function (blob) {
          return cache.put(url, response).then(function () {
            return blob.size;
          });
        });
    });
  }

  function sizeOf(url) {
    return fetch(url, { method: "HEAD", credentials: "same-origin" }).then(function (response) {
      return Number(response.headers.get("Content-Length")) || 0;
    });
  }

  function show(meta) {
    var saved = meta ? meta.lessons : [];
    marks.forEach(function (mark) {
      mark.hidden = saved.indexOf(mark.getAttribute("data-offline-lesson")) === -1;
    });
    removeButton.hidden = !meta;
    startButton.textContent = meta ? startButton.getAttribute("data-again-text") : firstText;
    if (meta) {
      status.textContent = text("saved")
        .replace("N", saved.length)
        .replace("M", lessons.length)
        .replace("S", megabytes(meta.bytes));
    }
  }

  function refresh() {
    return caches.has(name).then(function (has) {
      return has ? caches.open(name).then(readMeta).then(show) : show(null);
    });
  }

  function save(withVideos) {
    startButton.disabled = true;
    videoButton.hidden = true;
    status.textContent = text("saving");
    if (navigator.storage && navigator.storage.persist) {
      // Ask the phone not to clear the course when it runs short of room.
      navigator.storage.persist();
    }
    var pages = [window.location.pathname].concat(lessons);
    return caches.open(name).then(function (cache) {
      return readMeta(cache).then(function (before) {
        var meta = { lessons: [], bytes: 0, videos: Boolean(withVideos || (before && before.videos)) };
        var files = [];
        var videos = [];
        var chain = Promise.resolve();
        pages.forEach(function (url) {
          chain = chain.then(function () {
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
              if (!response.ok) {
                throw new Error("not saved: " + url);
              }
              return response.clone().text().then(function (html) {
                var found = assetsOf(html, window.location.href);
                files = files.concat(found.files);
                videos = videos.concat(found.videos);
                meta.bytes += html.length;
                return cache.put(url, response).then(function () {
                  if (url !== window.location.pathname) {
                    meta.lessons.push(url);
                  }
                });
              });
            });
          });
        });
        return chain
          .then(function () {
            var wanted = meta.videos ? files.concat(videos) : files;
            return wanted.reduce(function (previous, url) {
              return previous.then(function () {
                return store(cache, url).then(function (bytes) {
                  meta.bytes += bytes;
                });
              });
            }, Promise.resolve());
          })
          .then(function () {
            return cache.put(META, new Response(JSON.stringify(meta)));
          })
          .then(function () {
            pendingVideos = meta.videos ? [] : videos;
            show(meta);
            return offerVideos();
          });
      });
    }).catch(function (error) {
      status.textContent = error && error.name === "QuotaExceededError" ? text("full") : text("failed");
    }).then(function () {
      startButton.disabled = false;
    });
  }

  // Videos are offered only once their size is known.
  function offerVideos() {
    if (!pendingVideos.length) {
      return null;
    }
    return Promise.all(pendingVideos.map(sizeOf)).then(function (sizes) {
      var total = sizes.reduce(function (sum, size) {
        return sum + size;
      }, 0);
      videoButton.textContent = videoButton.getAttribute("data-template").replace("N", megabytes(total));
      videoButton.hidden = false;
    });
  }

  startButton.addEventListener("click", function () {
    save(false);
  });
  videoButton.addEventListener("click", function () {
    save(true);
  });
  removeButton.addEventListener("click", function () {
    caches.delete(name).then(function () {
      show(null);
      status.textContent = text("removed");
    });
  });

  panel.hidden = false;
  refresh();
})();
