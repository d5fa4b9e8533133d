// Skillgate's service worker keeps the course and lesson pages a learner
// opened readable with no signal. Its cache belongs to one session: a new
// session, or a page without one (signed out), deletes the old cache, so a
// shared phone shows nobody another person's pages.
"use strict";
var current = "";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function forgetExcept(name) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== name; }).map(function (k) { return caches.delete(k); }));
  });
}

self.addEventListener("message", function (e) {
  var m = e.data || {};
  if (!m.user) { current = ""; e.waitUntil(forgetExcept("")); return; }
  current = "sg-" + m.user;
  e.waitUntil(forgetExcept(current).then(function () {
    return caches.open(current).then(function (c) {
      return Promise.all((m.cache || []).slice(0, 40).map(function (u) {
        return fetch(u, { credentials: "same-origin" }).then(function (r) { if (r.ok) return c.put(u, r); }).catch(function () {});
      }));
    });
  }));
});

// The worker may have been stopped since the last message: the one cache
// left is the session's.
function cacheName() {
  if (current) return Promise.resolve(current);
  return caches.keys().then(function (k) { return k.filter(function (x) { return x.indexOf("sg-") === 0; })[0] || ""; });
}

self.addEventListener("fetch", function (e) {
  var r = e.request, u = new URL(r.url);
  if (r.method !== "GET" || u.origin !== location.origin || !/^\/(courses|lessons)\//.test(u.pathname)) return;
  e.respondWith(fetch(r).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      cacheName().then(function (n) { if (n) caches.open(n).then(function (c) { c.put(u.pathname, copy); }); });
    }
    return res;
  }).catch(function () {
    return cacheName().then(function (n) {
      if (!n) return Response.error();
      return caches.open(n).then(function (c) { return c.match(u.pathname, { ignoreVary: true, ignoreSearch: true }); })
        .then(function (hit) { return hit || Response.error(); });
    });
  }));
});
