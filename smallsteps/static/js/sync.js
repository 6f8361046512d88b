// When this page syncs: at once, when back online or visible again, on the worker's note,
// every minute, and after a failure with backoff. What one sync does (send the outbox, pull
// what other devices changed) is in shared.js, which the service worker runs too.
import { SignedOut } from "./api.js";
import * as store from "./store.js";
import "./shared.js";

const { OUTBOX_TAG, sendOutbox } = self.smallSteps.outbox;
const MAX_BACKOFF_MS = 5 * 60 * 1000;
const POLL_MS = 60 * 1000;

/** Fires "status" when the sync state changes and "changed" when local data changed. */
export const events = new EventTarget();
export const state = { syncing: false, signedOut: false, unreachable: false, pending: [] };

let running = null;
let again = false;
let backoffMs = 0;
let retryTimer = null;

function emit(name) {
  events.dispatchEvent(new Event(name));
}

/** Recount what waits to be sent and tell the page. */
export async function announce() {
  try {
    state.pending = await store.all("outbox");
  } catch {
    state.pending = [];
  }
  emit("status");
}

/** Send the outbox and pull newer changes; calls made meanwhile run once more after. */
export function drain() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    state.syncing = true;
    emit("status");
    try {
      do {
        again = false;
        await sendOutbox({ changed: () => emit("changed") });
      } while (again);
      backoffMs = 0;
      state.unreachable = false;
      state.signedOut = false;
    } catch (error) {
      if (error instanceof SignedOut) {
        state.signedOut = true;
      } else {
        state.unreachable = true;
        retryLater();
      }
    } finally {
      state.syncing = false;
      running = null;
      await announce();
    }
  })();
  return running;
}

function retryLater() {
  backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs ? backoffMs * 2 : 2000);
  clearTimeout(retryTimer);
  // A little jitter so many phones coming back online don't all knock at once.
  retryTimer = setTimeout(drain, backoffMs * (0.75 + Math.random() / 2));
  navigator.serviceWorker?.ready
    .then((registration) => registration.sync?.register(OUTBOX_TAG))
    .catch(() => undefined);
}

/** Run sync now and whenever it could help: online, visible, a worker's note, a timer. */
export function start() {
  window.addEventListener("online", drain);
  window.addEventListener("offline", announce);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") drain();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "SYNCED") {
      emit("changed");
      announce();
    }
  });
  setInterval(() => {
    if (document.visibilityState === "visible" && navigator.onLine) drain();
  }, POLL_MS);
  announce();
  return drain();
}

/**
 * Keep a value to set with an idempotent PUT (settings, the nudge plan, a day's flag) and
 * send it while online; resolve whether it reached the server (`sent`) or was refused there
 * (`refused`, the server's words). Throw where no store opened.
 */
export async function keepPut(url, body) {
  if (!(await store.offlineFirst())) throw new Error("this device keeps no store");
  await store.savePut(url, body);
  await announce();
  if (!navigator.onLine) {
    retryLater();
    return { sent: false, refused: null };
  }
  await drain();
  const key = `put:${url}`;
  const refused = (await store.all("rejected")).find((entry) => entry.key === key);
  if (refused) {
    await store.dismiss(key); // the page says it in its own words
    return { sent: false, refused: refused.message };
  }
  const waiting = (await store.all("outbox")).some((entry) => entry.key === key);
  return { sent: !waiting && !state.unreachable, refused: null };
}

/** Keep a change made here, show it, and send it while online; throw where no store opened. */
export async function keep(change) {
  if (!(await store.offlineFirst())) throw new Error("this device keeps no store");
  await store.save(change);
  emit("changed");
  await announce();
  if (navigator.onLine) drain();
  else retryLater();
}
