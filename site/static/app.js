// Skillgate's pages work without this file. It only improves them: the
// connection notice, the exam timer, autosave with an offline queue, and
// the service worker that keeps opened lessons readable without signal.
(function () {
  "use strict";
  var d = document, net = d.getElementById("net");
  function online(on) { if (net) net.hidden = on; }
  window.addEventListener("online", function () { online(true); flush(); });
  window.addEventListener("offline", function () { online(false); });
  online(navigator.onLine !== false);

  // Offline reading: the worker caches lesson and course pages of this
  // session only; a page without a session tells it to forget everything.
  var who = d.body.getAttribute("data-user") || "";
  if ("serviceWorker" in navigator) {
    if (who) {
      navigator.serviceWorker.register("/sw.js").then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        var urls = [];
        if (/^\/(courses|lessons)\//.test(location.pathname)) {
          urls.push(location.pathname);
          d.querySelectorAll(".outline a, .pager a").forEach(function (a) { urls.push(a.getAttribute("href")); });
        }
        if (reg.active) reg.active.postMessage({ user: who, cache: urls });
      }).catch(function () {});
    } else if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ user: "" });
    }
  }

  var form = d.getElementById("exam");
  if (!form) return;
  var id = form.getAttribute("action"), key = "sg-queue:" + id;

  // The timer counts down to the server's deadline, corrected for the
  // phone's clock; it speaks at 5 and 1 minutes, never every second.
  var t = d.getElementById("timer"), say = d.getElementById("announce");
  if (t) {
    var end = Date.parse(t.getAttribute("data-deadline"));
    var skew = Date.parse(t.getAttribute("data-now")) - Date.now();
    var told = {}, hide = d.createElement("button");
    hide.type = "button"; hide.className = "link"; hide.textContent = t.getAttribute("data-hide");
    t.parentNode.insertBefore(hide, t.nextSibling);
    var shown = true;
    hide.onclick = function () {
      shown = !shown; t.style.visibility = shown ? "visible" : "hidden";
      hide.textContent = t.getAttribute(shown ? "data-hide" : "data-show");
    };
    t.hidden = false;
    // The page says the deadline in UTC; the phone knows its own zone.
    var ends = d.getElementById("ends"), at = new Date(end - skew);
    if (ends && at.toLocaleTimeString) {
      ends.textContent = ends.textContent.replace(/\d\d:\d\d UTC/, at.toLocaleTimeString(d.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
    }
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now() - skew) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      t.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      [5, 1].forEach(function (n) {
        if (left <= n * 60 && left > 0 && !told[n]) { told[n] = 1; say.textContent = t.getAttribute("data-" + n); }
      });
      if (left <= 0) {
        say.textContent = t.getAttribute("data-up");
        clearInterval(timer);
        // The server grades what arrived in time; the same address then
        // shows the result.
        setTimeout(function () { location.replace(id); }, 1500);
      }
    };
    var timer = setInterval(tick, 1000); tick();
  }

  function body(extra) {
    var p = new URLSearchParams(new FormData(form));
    p.set("action", "save");
    return p.toString() + (extra || "");
  }
  function mark() {
    form.querySelectorAll("fieldset.q").forEach(function (fs, i) {
      var done = Array.prototype.some.call(fs.querySelectorAll("input"), function (x) {
        return (x.type === "radio" || x.type === "checkbox") ? x.checked : x.value.trim() !== "";
      });
      var a = d.querySelector('.qlist a[href="#q' + (i + 1) + '"]');
      if (a) { a.className = done ? "ans" : ""; a.textContent = (i + 1) + (done ? " ✓" : " ·"); }
    });
  }
  function send(b) {
    return fetch(id, { method: "POST", credentials: "same-origin", headers: {
      "Content-Type": "application/x-www-form-urlencoded", "X-Autosave": "1" }, body: b, redirect: "manual" });
  }
  function flush() {
    var b = localStorage.getItem(key);
    if (!b) return;
    send(b).then(function (r) {
      if (r.status === 204 || r.type === "opaqueredirect") { localStorage.removeItem(key); status(form.getAttribute("data-saved")); }
    }).catch(function () {});
  }
  function status(msg) { if (say) say.textContent = msg; }
  var pending;
  form.addEventListener("change", function () {
    mark();
    clearTimeout(pending);
    pending = setTimeout(function () {
      var b = body();
      localStorage.setItem(key, b);
      if (navigator.onLine === false) { status(form.getAttribute("data-queued")); return; }
      flush();
    }, 400);
  });
  form.addEventListener("submit", function (e) {
    localStorage.removeItem(key);
    if (navigator.onLine === false) { e.preventDefault(); online(false); localStorage.setItem(key, body()); }
  });
  flush();
})();
