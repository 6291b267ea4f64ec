// Bakhmach Business Hub's service worker, served from /sw.js by pwa.views.service_worker.
//  - The shell (styles, scripts, icons, the offline page) is stored when it installs.
//  - The dashboard, the task list and the plans are network first: the last copy seen is what
//    shows offline; another page offline is the offline page.
//  - A task completion or quick add sent by htmx while offline is kept in IndexedDB and sent
//    again on reconnect. Each carries an Idempotency-Key (pwa.middleware): sent twice, it is
//    applied once.
//  - Both belong to the account signed in: signing out drops them, and so does a page of another
//    account (each page says whose it is when it asks for the replay), so nothing is sent as, or
//    read offline by, the next person on this device.
//  - Web push: a reminder shows as a notification; a click opens the task.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "shell-" + VERSION;
const PAGES_CACHE = "pages";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const LOGOUT_URL = {{ logout_url|safe }};
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const READABLE = [/^\/dashboard$/, /^\/tasks\/$/, /^\/plans\/$/, new RegExp("^/plans/" + UUID + "/$")];
const QUEUEABLE = [new RegExp("^/tasks/" + UUID + "/toggle$"), /^\/tasks\/quick-add$/];
const SYNC_TAG = "replay";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (request.mode !== "navigate" && QUEUEABLE.some((pattern) => pattern.test(url.pathname))) {
      event.respondWith(sendOrQueue(request));
    } else if (url.pathname === LOGOUT_URL) {
      event.waitUntil(serially(() => forget("")));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, READABLE.some((pattern) => pattern.test(url.pathname))));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  } else if (request.headers.get("HX-Request")) {
    // An htmx update (a preview, a filter) offline: nothing to update, and no error to show.
    event.respondWith(fetch(request).catch(() => new Response(null, {status: 204})));
  }
});

async function page(request, readable) {
  try {
    const response = await fetch(request);
    if (readable && response.ok && !response.redirected) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cached = readable ? await caches.match(request.url, {cacheName: PAGES_CACHE}) : null;
    return cached || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

// --- The offline queue ---------------------------------------------------------------------

function database() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("bakhmach-offline", 2);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", {keyPath: "id", autoIncrement: true});
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");  // "account"
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

function inQueue(mode, work) {
  return inStore("queue", mode, work);
}

async function inStore(name, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const asked = work(transaction.objectStore(name));
    transaction.oncomplete = () => { db.close(); resolve(asked && asked.result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
  });
}

async function sendOrQueue(request) {
  const body = await request.clone().arrayBuffer();
  const headers = new Headers(request.headers);
  if (!headers.has("Idempotency-Key")) headers.set("Idempotency-Key", self.crypto.randomUUID());
  const entry = {url: request.url, method: request.method, headers: [...headers], body: body};
  try {
    return await fetch(rebuild(entry));
  } catch (error) {
    await inQueue("readwrite", (queue) => queue.add(entry));
    if (self.registration.sync) await self.registration.sync.register(SYNC_TAG).catch(() => {});
    await tell({type: "queued", waiting: await waiting()});
    // htmx swaps nothing; the page (pwa.js) shows the change as made and says it is waiting.
    return new Response(null, {status: 202, headers: {"HX-Reswap": "none", "X-Offline-Queued": "true"}});
  }
}

function rebuild(entry) {
  return new Request(entry.url, {
    method: entry.method,
    headers: new Headers(entry.headers),
    body: entry.body,
    credentials: "same-origin",
    redirect: "manual",
  });
}

function waiting() {
  return inQueue("readonly", (queue) => queue.count());
}

// The account whose changes and pages this device keeps ("" when none): a page of another one
// means someone else signed in, and the first one's queue and pages go.
async function forget(account) {
  await inQueue("readwrite", (queue) => queue.clear());
  await caches.delete(PAGES_CACHE);
  await inStore("meta", "readwrite", (meta) => meta.put(account, "account"));
}

async function signedIn(account) {
  const kept = await inStore("meta", "readonly", (meta) => meta.get("account"));
  if (kept !== account) await forget(account);
}

// One change of the queue at a time (an account switch, a replay), in the order asked.
let working = Promise.resolve();

function serially(work) {
  working = working.then(work, work);
  return working;
}

let replaying = null;

function replay() {
  // One replay at a time; a second call while one runs waits for it.
  if (!replaying) replaying = serially(sendQueued).finally(() => { replaying = null; });
  return replaying;
}

async function sendQueued() {
  const entries = await inQueue("readonly", (queue) => queue.getAll());
  let sent = 0;
  let refused = 0;
  for (const entry of entries) {
    let response;
    try {
      response = await fetch(rebuild(entry));
    } catch (error) {
      break;  // still offline: the rest waits for the next try
    }
    // 409: the same key is being answered (another tab); 5xx: not applied. Both: try later.
    if (response.status === 409 || response.status >= 500) break;
    // A redirect (signed out) or a 4xx (the task is gone): not applied, and never will be.
    if (response.type === "opaqueredirect" || response.status >= 400) refused += 1;
    else sent += 1;
    await inQueue("readwrite", (queue) => queue.delete(entry.id));
  }
  if (entries.length) await tell({type: "replayed", sent: sent, refused: refused, waiting: await waiting()});
}

async function tell(message) {
  const windows = await self.clients.matchAll({type: "window"});
  windows.forEach((client) => client.postMessage(message));
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "replay") return;
  // A page signed out (a session that ended) does not send: the changes wait for the account.
  if (!message.account) return;
  event.waitUntil(serially(() => signedIn(message.account)).then(replay));
});

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(replay());
});

// --- Web push --------------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(message.title || "Bakhmach Business Hub", {
      body: message.body || "",
      tag: message.tag || undefined,
      icon: SHELL.find((name) => name.includes("icon-192")),
      data: {url: message.url || "/"},
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
