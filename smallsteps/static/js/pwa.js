// The app around the pages: service worker and its updates, install, sync status,
// and leaving (a sign-out or a deletion) with nothing of the person left on this device.
import { element, ownWords } from "./dom.js";
import { nt, t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

const $ = (id) => document.getElementById(id);
// What waits, by the kind of record; a PUT (a setting) has none: "changes".
const WAITING = {
  win: (n) => nt("{count} win waiting to sync", "{count} wins waiting to sync", n),
  goal: (n) => nt("{count} goal waiting to sync", "{count} goals waiting to sync", n),
  step: (n) => nt("{count} step waiting to sync", "{count} steps waiting to sync", n),
  change: (n) => nt("{count} change waiting to sync", "{count} changes waiting to sync", n),
};
// Asked before signing out drops what still waits.
const LOST = {
  win: (n) =>
    nt(
      "{count} win waiting to sync and would be lost from this device. Sign out anyway?",
      "{count} wins waiting to sync and would be lost from this device. Sign out anyway?",
      n,
    ),
  goal: (n) =>
    nt(
      "{count} goal waiting to sync and would be lost from this device. Sign out anyway?",
      "{count} goals waiting to sync and would be lost from this device. Sign out anyway?",
      n,
    ),
  step: (n) =>
    nt(
      "{count} step waiting to sync and would be lost from this device. Sign out anyway?",
      "{count} steps waiting to sync and would be lost from this device. Sign out anyway?",
      n,
    ),
  change: (n) =>
    nt(
      "{count} change waiting to sync and would be lost from this device. Sign out anyway?",
      "{count} changes waiting to sync and would be lost from this device. Sign out anyway?",
      n,
    ),
};
const CACHE_PREFIX = "smallsteps-";
let acceptedUpdate = false;
// "All synced" only once a sync round has reached the server; a failed round takes it back.
let inFlight = false;
let answered = false;

function show(element, visible = true) {
  if (element) element.hidden = !visible;
}

/** Return the kind of record all of what waits is ("win", "goal", "step"), else "change". */
function waitingKind(pending) {
  const types = new Set(pending.map((entry) => entry.change?.type)); // a PUT has none: "changes"
  const [only] = types;
  return types.size === 1 && ["win", "goal", "step"].includes(only) ? only : "change";
}

/** Return the words for what waits: "2 wins waiting to sync", "3 changes waiting to sync". */
export function waitingText(pending) {
  return WAITING[waitingKind(pending)](pending.length);
}

function noteRound() {
  const { signedOut, unreachable, syncing } = sync.state;
  if (syncing) inFlight = true;
  else if (inFlight) {
    inFlight = false;
    answered = !signedOut && !unreachable;
  }
  if (!navigator.onLine) answered = false;
}

function statusText() {
  const { pending, signedOut, unreachable, syncing } = sync.state;
  if (signedOut) return t("Sign in again to sync — your wins are safe on this device");
  if (!navigator.onLine || (unreachable && (pending.length || !answered))) {
    return t("Offline — your wins are safe on this device");
  }
  if (pending.length) return syncing ? t("Syncing…") : waitingText(pending);
  return answered ? t("All synced") : t("Checking…");
}

async function renderStatus() {
  const status = $("sync-status");
  if (!status) return;
  noteRound();
  const text = statusText();
  if (status.textContent !== text) status.textContent = text;
  // The state in a word no language changes: tests and styles read it, whatever is said.
  let state = text === t("Checking…") ? "checking" : text === t("All synced") ? "synced" : "";
  if (!navigator.onLine) state = "offline";
  if (sync.state.signedOut) state = "signed-out";
  status.dataset.state = state;
  show(status);
  show($("sync-now"));
  show($("sign-in-again"), sync.state.signedOut);
  await renderRejected();
}

/** Return what to say about a change the server refused, in the server's words when it gave some;
 * the person's own words set apart (ownWords). */
function refusedText(words, message) {
  if (words && message) {
    return ownWords((own) => t("“{words}” couldn't be saved: {message}", { words: own, message }), words);
  }
  if (words) return ownWords((own) => t("“{words}” couldn't be saved: the server couldn't use it", { words: own }), words);
  if (message) return t("A change couldn't be saved: {message}", { message });
  return t("A change couldn't be saved: the server couldn't use it");
}

async function renderRejected() {
  const list = $("sync-problems");
  if (!list) return;
  const rejected = await store.all("rejected").catch(() => []);
  list.replaceChildren(
    ...rejected.map(({ key, change, message }) => {
      const item = element("li");
      item.append(refusedText(change?.data?.text || change?.data?.title, message), " ");
      const dismiss = element("button", "link-button", t("Dismiss"));
      dismiss.type = "button";
      dismiss.addEventListener("click", async () => {
        await store.dismiss(key);
        renderRejected();
      });
      item.append(dismiss);
      return item;
    }),
  );
  show(list, rejected.length > 0);
}

function offerUpdate(worker) {
  const banner = $("update-ready");
  if (!banner) return;
  show(banner);
  $("update-now").onclick = () => {
    acceptedUpdate = true;
    if (worker) worker.postMessage({ type: "SKIP_WAITING" });
    else location.reload();
  };
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const controlledAtLoad = Boolean(navigator.serviceWorker.controller);
  const registration = await navigator.serviceWorker.register("/sw.js", {
    scope: "/",
    updateViaCache: "none",
  });
  if (registration.waiting && controlledAtLoad) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // The first worker taking over is not an update; another tab's accepted one is.
    if (acceptedUpdate) location.reload();
    else if (controlledAtLoad) offerUpdate(null);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => undefined);
  });
  if ($("sync-status")) {
    // Keep this page and the main ones for offline use; the worker fetches only those it
    // lacks, as when this page arrived before the worker did. Only once signed in: a copy
    // fetched while signing in could race the sign-in itself.
    const ready = await navigator.serviceWorker.ready;
    // And the pages this one points to for offline use (`data-warm`): yesterday's, from
    // which any day opened offline is drawn (sw.js, today.js), and this week's reflection.
    const pointed = [...document.querySelectorAll("a[data-warm]")].map((link) => link.getAttribute("href"));
    const urls = [location.pathname, "/", "/goals", "/look-back", "/days", ...pointed];
    ready.active?.postMessage({ type: "WARM", urls });
  }
}

function offerInstall() {
  const button = $("install-app");
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    show(button);
    button.onclick = async () => {
      show(button, false);
      await event.prompt();
    };
  });
  window.addEventListener("appinstalled", () => show(button, false));
  const ios = /iphone|ipad|ipod/i.test(navigator.userAgent);
  const standalone = navigator.standalone || matchMedia("(display-mode: standalone)").matches;
  if (ios && !standalone && !localStorage.getItem("smallsteps.ios-hint-seen")) {
    show($("ios-install"));
    $("ios-install-dismiss")?.addEventListener("click", () => {
      localStorage.setItem("smallsteps.ios-hint-seen", "1");
      show($("ios-install"), false);
    });
  }
}

/**
 * Before signing out, send what waits if possible, and ask before dropping what still waits.
 * The device is cleared on the next page, once the server has signed the person out.
 */
function syncBeforeSignOut() {
  const form = document.querySelector("form[data-sign-out]");
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    await sync.drain().catch(() => undefined);
    const waiting = await store.all("outbox").catch(() => []);
    const leave = !waiting.length || confirm(LOST[waitingKind(waiting)](waiting.length));
    if (leave) form.submit();
  });
}

/**
 * On the page after a sign-out or a deletion (the server's goodbye), forget the person:
 * IndexedDB (records and outbox) and every cache of the app, kept pages and shell; the worker
 * then keeps a fresh shell, fetched signed out. Only after this is the worker registered, so
 * a new worker's shell is not deleted half-made.
 */
async function clearDevice(goodbye) {
  if ("indexedDB" in window) await store.clear();
  if ("caches" in window) {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
    }
  }
  const registration = await navigator.serviceWorker?.getRegistration();
  registration?.active?.postMessage({ type: "DEVICE_CLEARED" });
  goodbye.append(" ", t("Nothing of yours is left on this device."));
}

/** Show the sync status and start syncing, once the signed-in person's store has opened. */
function startSync() {
  sync.events.addEventListener("status", renderStatus);
  window.addEventListener("online", renderStatus);
  window.addEventListener("offline", renderStatus);
  $("sync-now")?.addEventListener("click", () => sync.drain());
  return sync.start();
}

/** Wire up everything; signed-out pages get only the worker and the install offer. */
export function init() {
  const goodbye = document.querySelector("[data-clear-device]");
  const cleared = goodbye ? clearDevice(goodbye) : Promise.resolve();
  cleared
    .catch(() => undefined)
    .then(registerWorker)
    .catch(() => undefined);
  offerInstall();
  if ($("sync-status") && "indexedDB" in window) syncBeforeSignOut();
  store
    .offlineFirst()
    .then((offlineFirst) => offlineFirst && startSync())
    .catch(() => undefined);
}
