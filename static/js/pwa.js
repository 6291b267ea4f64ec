// The installable app, page side: registers the service worker (/sw.js), shows the offline
// banner, shows a change kept offline as made, asks the worker to send what it kept when the
// connection is back, and turns notifications on or off on the device page. Its texts come
// from data-* attributes of #offline-banner (translated by the templates).
(function () {
  "use strict";

  var banner = document.getElementById("offline-banner");
  if (!banner) return;
  var text = banner.querySelector(".offline-banner__text");

  function say(message, tone) {
    text.textContent = message;
    banner.dataset.tone = tone;
    banner.hidden = false;
  }

  function connectionChanged() {
    if (!navigator.onLine) {
      say(banner.dataset.offline, "offline");
    } else {
      if (banner.dataset.tone === "offline") banner.hidden = true;
      askToReplay();
    }
  }

  // The page says whose it is: the worker sends only that account's changes and drops another's.
  function askToReplay() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "replay", account: banner.dataset.account});
    }
  }

  window.addEventListener("online", connectionChanged);
  window.addEventListener("offline", connectionChanged);
  if (!navigator.onLine) connectionChanged();

  if (!("serviceWorker" in navigator)) return;

  navigator.serviceWorker.register(banner.dataset.worker, {scope: "/"}).then(function () {
    if (navigator.onLine) askToReplay();
  });

  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === "queued") {
      say(banner.dataset.queued, "offline");
    } else if (message.type === "replayed") {
      if (message.refused) say(banner.dataset.refused, "error");
      else if (message.sent) say(banner.dataset.sent, "success");
      document.documentElement.dataset.offlineWaiting = String(message.waiting);
    }
  });

  // A change the worker kept: show it as made (htmx swapped nothing).
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.getResponseHeader("X-Offline-Queued") !== "true") return;
    var form = event.detail.elt.closest("form");
    if (!form) return;
    if (form.classList.contains("task-row__toggle")) {
      var done = form.querySelector("input[name=done]");
      var row = form.closest(".task-row");
      var nowDone = done.value === "true";
      done.value = nowDone ? "false" : "true";
      form.querySelector("button").setAttribute("aria-pressed", String(nowDone));
      if (row) row.classList.toggle("is-done", nowDone);
    } else {
      var title = form.querySelector("input[name=title]");
      if (title) title.value = "";
    }
  });

  // The device page: notifications on or off for this browser.
  var push = document.getElementById("push-controls");
  if (!push || !("PushManager" in window) || !push.dataset.key) return;
  var turnOn = push.querySelector("[data-push=on]");
  var turnOff = push.querySelector("[data-push=off]");
  var status = push.querySelector("[data-push=status]");

  function post(url, subscription) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": push.dataset.csrf},
      body: JSON.stringify(subscription),
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
    });
  }

  function applicationServerKey(base64url) {
    var raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function show(subscribed) {
    push.hidden = false;
    turnOn.hidden = subscribed;
    turnOff.hidden = !subscribed;
    status.textContent = subscribed ? push.dataset.on : push.dataset.off;
  }

  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(function (subscription) { show(!!subscription); });

    turnOn.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { status.textContent = push.dataset.denied; return null; }
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(push.dataset.key),
        }).then(function (subscription) {
          return post(push.dataset.subscribe, subscription.toJSON());
        }).then(function () { show(true); });
      }).catch(function () { status.textContent = push.dataset.failed; });
    });

    turnOff.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) return show(false);
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(push.dataset.unsubscribe, {endpoint: endpoint});
        }).then(function () { show(false); });
      }).catch(function () { status.textContent = push.dataset.failed; });
    });
  });
})();
