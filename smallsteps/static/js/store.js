// The person's goals, steps and wins on this device, and the outbox of changes to send.
// The IndexedDB code is in shared.js, which the service worker uses too; what only a page
// does is here.
import "./shared.js";

export const {
  keyOf, nextStamp, all, records, record, getMeta, setMeta, save, savePut, dismiss, clear,
} = self.smallSteps.store;

let claiming = null;

/**
 * Resolve whether this page keeps changes on this device first: a person is signed in and
 * their store opened here, another person's leftovers cleared first. Asked once a page.
 */
export function offlineFirst() {
  claiming ||= claim();
  return claiming;
}

async function claim() {
  const person = document.getElementById("sync-status")?.dataset.user;
  if (!person || !("indexedDB" in self)) return false;
  try {
    if ((await getMeta("person")) !== person) {
      await clear();
      await setMeta("person", person);
    }
    return true;
  } catch {
    return false; // a browser that keeps no store: every form posts to the server
  }
}

/** Ask the browser to keep this device's data through storage pressure, once. */
export async function keepDataSafe() {
  if (!navigator.storage?.persist || (await getMeta("persist-asked"))) return;
  await setMeta("persist-asked", true);
  await navigator.storage.persist().catch(() => false);
}
