// Small Steps' service worker, served at /sw.js (a classic script). The server puts one
// line above this file: `const SHELL = {version, static, files, catalogs}`, the app shell to
// precache; `static` is the URL every static file of this version is under (/static/<version>/).
/* global SHELL */
importScripts(`${SHELL.static}js/shared.js`);
importScripts(`${SHELL.static}js/sw-nudges.js`);
// A nudge's words (sw-nudges.js).
Object.assign(self.smallSteps, { speaking, direction });

const SHELL_CACHE = `smallsteps-shell-${SHELL.version}`;
const PAGES_CACHE = "smallsteps-pages";
const OFFLINE_URL = "/offline";
// A page the network has not brought by then comes from this device's copy, so the app
// opens at once on a slow network too; the network's answer still refreshes the copy.
const PAGE_TIMEOUT_MS = 400;
// A reload asks for the server's page (after a write, say): the network gets longer.
const FRESH_PAGE_TIMEOUT_MS = 5000;
// Any day's page: one kept copy draws any other day (today.js reads the date from the URL).
const DAY_PAGE = /^\/days\/\d{4}-\d{2}-\d{2}$/;
const WARM_PAGES = ["/", "/goals", "/look-back"];
// Each language's words by code (/i18n/es.json?v=…), English, the source text, having none.
const CATALOGS = SHELL.catalogs || {};
const SOURCE_LANGUAGE = "en";
// Languages written from right to left (i18n.py's RIGHT_TO_LEFT).
const RIGHT_TO_LEFT = ["ar", "fa", "he", "ur"];
const { OUTBOX_TAG } = self.smallSteps.outbox;

self.addEventListener("install", (event) => {
  // No skipWaiting here: an update waits until the person says yes.
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("smallsteps-shell-") && name !== SHELL_CACHE) {
          await caches.delete(name);
        }
      }
      await forgetOldCatalogs();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "SKIP_WAITING") self.skipWaiting();
  if (message.type === "WARM") event.waitUntil(warm(message.urls || WARM_PAGES));
  // The page deleted every cache as the person left. Pages still being kept go to the deleted
  // caches, never to new ones; what offline needs is fetched again, signed out.
  if (message.type === "DEVICE_CLEARED") event.waitUntil(precache().catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // A person's data (the API, the CSV download) is never kept in a cache.
  if (url.pathname.startsWith("/api/") || url.pathname === "/export.csv") return;
  // A shared page is for its reader, never kept on the device that opened it.
  if (url.pathname.startsWith("/s/")) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  } else if (
    url.pathname.startsWith("/static/") ||
    url.pathname.startsWith("/i18n/") ||
    url.pathname === "/manifest.webmanifest"
  ) {
    event.respondWith(cacheFirst(request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === OUTBOX_TAG) event.waitUntil(drainOutbox());
});

async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  const urls = [...SHELL.files, OFFLINE_URL, ...Object.values(CATALOGS)];
  // Straight from the server, never from the HTTP cache, so no old file joins a new shell.
  // Without cookies: the shell is the same for everyone, and an answer that set the session
  // cookie could land after a sign-in or sign-out running beside it and undo it.
  await cache.addAll(urls.map((url) => new Request(url, { cache: "reload", credentials: "omit" })));
}

/** Drop catalogs of an earlier deploy that share this shell's version (only words changed). */
async function forgetOldCatalogs() {
  const cache = await caches.open(SHELL_CACHE);
  const current = new Set(Object.values(CATALOGS).map((url) => new URL(url, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith("/i18n/") && !current.has(request.url)) {
      await cache.delete(request);
    }
  }
}

/**
 * Return words (t, nt, lang, dir) in a language: `wanted` (a nudge's) when given, else the
 * first of the browser's languages whose catalog this device holds or can fetch. English, the
 * source text, wherever no catalog can be read: the worker never fails for want of one.
 */
async function speaking(wanted = null) {
  const preferred = wanted ? [wanted] : [...(self.navigator.languages || [])];
  let words = null;
  for (const tag of preferred) {
    const code = closestLanguage(tag, [SOURCE_LANGUAGE, ...Object.keys(CATALOGS)]);
    if (code === SOURCE_LANGUAGE) break;
    const catalog = code && (await catalogOf(CATALOGS[code]));
    if (catalog) {
      words = self.smallSteps.words.speaker(code, catalog);
      break;
    }
  }
  words ||= self.smallSteps.words.speaker(SOURCE_LANGUAGE);
  return { ...words, dir: direction(words.lang) };
}

/** Return the language among `available` that serves a wanted one ("es-MX" → "es"), or null. */
function closestLanguage(wanted, available) {
  const same = (tag) => String(tag).replace(/_/g, "-").toLowerCase();
  const base = (tag) => same(tag).split("-")[0];
  return (
    available.find((code) => same(code) === same(wanted)) ||
    available.find((code) => base(code) === base(wanted)) ||
    null
  );
}

/** Return the direction a language is written in, "rtl" or "ltr". */
function direction(language) {
  return RIGHT_TO_LEFT.includes(String(language).split(/[-_]/)[0].toLowerCase()) ? "rtl" : "ltr";
}

/** Return a catalog from the shell's copy, else the network's; null when neither answers. */
async function catalogOf(url) {
  try {
    const response = (await caches.match(url)) || (await fetch(url));
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function cacheable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

/** Keep a copy of pages a signed-in person would open offline; skip those that redirect. */
async function warm(urls) {
  const cache = await caches.open(PAGES_CACHE);
  for (const url of urls) {
    try {
      const key = new URL(url, self.location.origin).href;
      if (await cache.match(key, { ignoreVary: true })) continue;
      const response = await fetch(key, { credentials: "same-origin" });
      if (cacheable(response)) await cache.put(key, response);
    } catch {
      // Offline: nothing to warm now.
    }
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(event) {
  const { request } = event;
  const cache = await caches.open(PAGES_CACHE);
  const network = fetch(request);
  const stored = network
    .then((response) => cacheable(response) && cache.put(request.url, response.clone()))
    .catch(() => undefined);
  event.waitUntil(stored);
  // A shell cleared at sign-out fills again on the next visit.
  event.waitUntil(caches.has(SHELL_CACHE).then((has) => has || precache().catch(() => {})));
  try {
    const fresh = request.cache === "no-cache" || request.cache === "reload";
    return await Promise.race([network, timeout(fresh ? FRESH_PAGE_TIMEOUT_MS : PAGE_TIMEOUT_MS)]);
  } catch {
    // Offline, or the network is too slow: a kept copy answers now.
  }
  const cached = (await cache.match(request.url, { ignoreVary: true })) || (await anyDay(cache, request));
  if (cached) return cached;
  try {
    return await network;
  } catch {
    const offline = await caches.match(OFFLINE_URL);
    if (offline) return offline;
    const { t } = await speaking();
    return new Response(t("You're offline."), { status: 503 });
  }
}

async function anyDay(cache, request) {
  if (!DAY_PAGE.test(new URL(request.url).pathname)) return undefined;
  const kept = (await cache.keys()).find((key) => DAY_PAGE.test(new URL(key.url).pathname));
  return kept && cache.match(kept, { ignoreVary: true });
}

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

/** Background Sync: send the outbox while no page is open; pages pull and merge later. */
async function drainOutbox() {
  const { api, outbox, store } = self.smallSteps;
  try {
    await store.open({ create: false });
  } catch {
    return; // only a page makes the store: a worker that finds none has nothing to send
  }
  try {
    await outbox.sendOutbox({ pull: false });
  } catch (error) {
    if (error instanceof api.SignedOut) return; // the page asks the person to sign in
    throw error; // the browser tries again later
  } finally {
    await store.close();
  }
  for (const client of await self.clients.matchAll()) client.postMessage({ type: "SYNCED" });
}
