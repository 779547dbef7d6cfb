/* The school's service worker (served at /sw.js by school.pwa).
 *
 * - Static files are cached at install and served cache-first (their names
 *   carry a hash in production).
 * - Pages are network-first: a copy of each page read is kept for offline
 *   reading; a page never read gives the offline page.
 * - A course saved to the phone (js/offline.js) lives in a cache of its own,
 *   "course-<id>"; its lessons, images and audio are served from there.
 * - Copies of pages belong to the account that read them: when the account
 *   changes (log-out, another member logs in) every copy is dropped.
 * - Never kept: the admin, accounts pages, answers to POST, answers that are
 *   not a plain 200 or say no-store. A page that the server no longer serves
 *   (unpublished, made private) is dropped from every cache once online.
 */
"use strict";

var CONFIG = {{ config|safe }};
var STATIC_CACHE = "static-" + CONFIG.version;
var PAGES_CACHE = "pages";
var META_CACHE = "meta";
var OWNER_KEY = "/__owner__";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return cache.addAll(CONFIG.precache);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("static-") === 0 && name !== STATIC_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function startsWithAny(path, prefixes) {
  return prefixes.some(function (prefix) {
    return path.indexOf(prefix) === 0;
  });
}

function isPage(request) {
  return (
    request.mode === "navigate" ||
    (request.headers.get("Accept") || "").indexOf("text/html") !== -1
  );
}

function keepable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") {
    return false;
  }
  if (response.redirected) {
    return false;
  }
  var control = response.headers.get("Cache-Control") || "";
  return control.indexOf("no-store") === -1;
}

function dropEverywhere(url) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.delete(url);
        });
      })
    );
  });
}

// Copies of pages are personal once a member is logged in.
function clearMemberCopies(alsoCourses) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return (
            name === PAGES_CACHE || (alsoCourses && name.indexOf("course-") === 0)
          );
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
}

function noteOwner(owner) {
  return caches.open(META_CACHE).then(function (meta) {
    return meta.match(OWNER_KEY).then(function (stored) {
      var before = stored ? stored.text() : Promise.resolve("");
      return before.then(function (previous) {
        if (previous === owner) {
          return null;
        }
        return clearMemberCopies(previous !== "").then(function () {
          return meta.put(OWNER_KEY, new Response(owner));
        });
      });
    });
  });
}

function fromCaches(request) {
  return caches.match(request, { ignoreVary: true });
}

function page(event) {
  var request = event.request;
  return fetch(request)
    .then(function (response) {
      var owner = response.headers.get("X-School-Account") || "";
      var bookkeeping = noteOwner(owner).then(function () {
        if (keepable(response)) {
          var copy = response.clone();
          return Promise.all([
            caches.open(PAGES_CACHE).then(function (cache) {
              return cache.put(request, copy.clone());
            }),
            refreshSaved(request, copy)
          ]);
        }
        if (response.status >= 400 || response.redirected) {
          // Unpublished, made private, or moved: stop serving the old copy.
          return dropEverywhere(request.url);
        }
        return null;
      });
      event.waitUntil(bookkeeping);
      return response;
    })
    .catch(function () {
      return fromCaches(request).then(function (cached) {
        return cached || caches.match(CONFIG.offline_url);
      });
    });
}

// A saved course's lesson read online is brought up to date in its cache.
function refreshSaved(request, response) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name.indexOf("course-") === 0;
        })
        .map(function (name) {
          return caches.open(name).then(function (cache) {
            return cache.match(request).then(function (old) {
              return old ? cache.put(request, response.clone()) : null;
            });
          });
        })
    );
  });
}

// Audio and video ask for byte ranges; a saved file answers them itself.
function ranged(request, response) {
  var range = request.headers.get("Range");
  if (!range) {
    return response;
  }
  return response.blob().then(function (blob) {
    var match = /bytes=(\d*)-(\d*)/.exec(range) || [];
    var start = Number(match[1] || 0);
    var end = match[2] ? Number(match[2]) : blob.size - 1;
    if (start >= blob.size) {
      return new Response(null, {
        status: 416,
        headers: { "Content-Range": "bytes */" + blob.size }
      });
    }
    end = Math.min(end, blob.size - 1);
    return new Response(blob.slice(start, end + 1), {
      status: 206,
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "",
        "Content-Range": "bytes " + start + "-" + end + "/" + blob.size,
        "Content-Length": String(end - start + 1)
      }
    });
  });
}

function asset(request) {
  return fromCaches(request.url).then(function (cached) {
    if (cached) {
      return ranged(request, cached);
    }
    return fetch(request).then(function (response) {
      var url = new URL(request.url);
      if (keepable(response) && url.pathname.indexOf(CONFIG.static_url) === 0) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) {
          cache.put(request, copy);
        });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    if (url.pathname === CONFIG.logout_url) {
      event.waitUntil(clearMemberCopies(true));
    }
    return;
  }
  if (startsWithAny(url.pathname, CONFIG.never)) {
    return;
  }
  if (isPage(request)) {
    event.respondWith(page(event));
  } else if (startsWithAny(url.pathname, [CONFIG.static_url, CONFIG.media_url])) {
    event.respondWith(asset(request));
  }
});

// Pages ask, once back online, to drop copies the server no longer serves.
function revalidate() {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name === PAGES_CACHE || name.indexOf("course-") === 0;
        })
        .map(function (name) {
          return caches.open(name).then(function (cache) {
            return cache.keys().then(function (requests) {
              return Promise.all(
                requests
                  .filter(function (request) {
                    var path = new URL(request.url).pathname;
                    return !startsWithAny(path, [CONFIG.static_url, CONFIG.media_url]);
                  })
                  .map(function (request) {
                    return fetch(request.url, { credentials: "same-origin" })
                      .then(function (response) {
                        if (keepable(response)) {
                          return cache.put(request, response);
                        }
                        if (response.status >= 400 || response.redirected) {
                          return dropEverywhere(request.url);
                        }
                        return null;
                      })
                      .catch(function () {
                        return null;
                      });
                  })
              );
            });
          });
        })
    );
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "revalidate") {
    event.waitUntil(revalidate());
  } else if (data.type === "logout") {
    event.waitUntil(clearMemberCopies(true));
  }
});
