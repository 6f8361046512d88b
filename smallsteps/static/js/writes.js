// Forms that set a value (settings, the nudge plan, a day's flag): kept here first, sent
// with an idempotent PUT. Online the page comes back from the server; offline it changes at
// once and says it will sync. Without a store the form posts as it always did.
import { flash } from "./dom.js";
import { t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

const NOTE_KEY = "smallsteps.write-note";
export const WAITING = t("Saved on this device; it syncs when you're back online.");

/**
 * Take a form over: `url(form)` and `body(form)` make the PUT; `sent(form)` is what to say once
 * the server has it, `shown(form)` changes this page to match and returns what to say offline.
 */
export function takeOver(form, spec) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    return put(form, spec);
  });
}

/** Keep one form's value here and send it with its PUT, as takeOver does on submit. */
export async function put(form, { url, body, sent, shown = () => WAITING }) {
  if (!(await store.offlineFirst())) return form.submit(); // no store here: the server's form
  const words = sent(form);
  let outcome;
  try {
    outcome = await sync.keepPut(url(form), body(form));
  } catch {
    return form.submit(); // this device could not keep it: the server's form takes it
  }
  // Refused: the server's own form says what to change, field by field.
  if (outcome.refused !== null) return form.submit();
  if (outcome.sent) {
    sessionStorage.setItem(NOTE_KEY, words);
    return location.reload(); // a reload: the worker waits for the server's page (sw.js)
  }
  return flash(shown(form));
}

/** Say what a form said before its page came back from the server. */
export function showNote() {
  const note = sessionStorage.getItem(NOTE_KEY);
  sessionStorage.removeItem(NOTE_KEY);
  if (note) flash(note);
}

/** Return the values that wait to be set on the server, by URL. */
export async function waiting() {
  if (!(await store.offlineFirst())) return new Map();
  const entries = await store.all("outbox").catch(() => []);
  return new Map(entries.filter((entry) => entry.put).map((entry) => [entry.put.url, entry.put.body]));
}
