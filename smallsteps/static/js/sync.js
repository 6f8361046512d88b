// Sends the outbox to /api/v1/sync and pulls what other devices changed. Never loses a
// change: a record leaves the outbox only when the server acknowledged its id.
import * as store from "./store.js";

const MAX_CHANGES = 500;
const MAX_BYTES = 900 * 1024; // under the server's 1 MiB, with room for the envelope
const MAX_BACKOFF_MS = 5 * 60 * 1000;
const POLL_MS = 60 * 1000;
const OUTBOX_TAG = "smallsteps-outbox";

/** Fires "status" when the sync state changes and "changed" when local data changed. */
export const events = new EventTarget();
export const state = { syncing: false, signedOut: false, unreachable: false, pending: [] };

let running = null;
let again = false;
let backoffMs = 0;
let retryTimer = null;
let batchLimit = MAX_CHANGES;

class SignedOut extends Error {}

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
        await drainOnce();
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

async function fetchToken() {
  const response = await fetch("/api/v1/csrf", { cache: "no-store", credentials: "same-origin" });
  if (response.status === 401) throw new SignedOut();
  if (!response.ok) throw new Error(`csrf answered ${response.status}`);
  return (await response.json()).csrf_token;
}

function pick(entries) {
  const batch = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = JSON.stringify(entry.change).length * 3; // worst case for UTF-8
    if (batch.length >= batchLimit || (batch.length && bytes + size > MAX_BYTES)) break;
    batch.push(entry.change);
    bytes += size;
  }
  return batch;
}

async function drainOnce() {
  let token = await fetchToken();
  // Bounded: 500 changes a round is far more than a person makes offline.
  for (let round = 0; round < 40; round += 1) {
    const entries = (await store.all("outbox")).sort((a, b) => a.order - b.order);
    const sent = pick(entries);
    const since = await store.getMeta("cursor");
    const response = await fetch("/api/v1/sync", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ since, changes: sent }),
    });
    if (response.status === 401) throw new SignedOut();
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      if (response.status === 400 && problem.error === "invalid cursor") {
        await store.setMeta("cursor", null);
        continue;
      }
      if (response.status === 400 && /CSRF/i.test(problem.error || "")) {
        token = await fetchToken();
        continue;
      }
      if (response.status === 413 && batchLimit > 1) {
        batchLimit = Math.max(1, Math.floor(sent.length / 2));
        continue;
      }
      throw new Error(`sync answered ${response.status}`);
    }
    const answer = await response.json();
    const anyRejected = await store.acknowledge(sent, answer.results);
    await store.merge(answer.changes);
    // After a refusal, pull everything again so this device matches the server.
    await store.setMeta("cursor", anyRejected ? null : answer.cursor);
    await store.setMeta("pulled", true);
    emit("changed");
    if (sent.length === entries.length && !anyRejected) return;
  }
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

/** Keep a change made here, show it, and send it while online. */
export async function keep(change) {
  await store.save(change);
  emit("changed");
  await announce();
  if (navigator.onLine) drain();
  else retryLater();
}
