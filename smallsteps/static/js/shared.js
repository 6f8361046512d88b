// What the pages and the service worker share, in one classic script: the worker loads it
// with importScripts, the pages' modules with `import "./shared.js"` (api.js, store.js,
// sync.js, nudges.js). It defines `self.smallSteps` and nothing else, so it stays free of
// import and export and works in both.
(() => {
  // The server's API: JSON in and out, a fresh CSRF token for each write.
  const CSRF = "/api/v1/csrf";

  /** The server answered 401: the person has to sign in again. */
  class SignedOut extends Error {}

  /** Fetch JSON from this app's API; a 401 throws SignedOut, any other failure an Error. */
  async function json(url, options = {}) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...options });
    if (response.status === 401) throw new SignedOut(`${url} answered 401`);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.status === 204 ? null : response.json();
  }

  /** Return a CSRF token for the next write. */
  async function csrfToken() {
    return (await json(CSRF)).csrf_token;
  }

  /** Send a JSON body with a CSRF token; return the answer. */
  async function send(method, url, body) {
    const headers = { "Content-Type": "application/json", "X-CSRFToken": await csrfToken() };
    return json(url, { method, headers, body: JSON.stringify(body) });
  }

  // The person's goals, steps and wins on this device, and the outbox of changes to send.
  // IndexedDB stores: records (the latest version of each), outbox (changes not yet
  // acknowledged, one per record), meta (cursor and flags) and rejected (what the server
  // refused, shown to the person).
  const DB_NAME = "smallsteps";
  let opening = null;
  let lastOrder = 0;

  /** Return the key a record is stored under. */
  const keyOf = (type, id) => `${type}:${id}`;

  /** Return an updated_at for a new version: now, and always later than the one before. */
  function nextStamp(previous) {
    const after = previous ? Date.parse(previous) + 1 : 0;
    return new Date(Math.max(Date.now(), after)).toISOString();
  }

  function promised(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function finished(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  /** Open the store; a page creates it the first time, the worker (`create: false`) never. */
  function open({ create = true } = {}) {
    opening ||= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        if (!create) {
          request.transaction.abort();
          return;
        }
        const db = request.result;
        db.createObjectStore("records", { keyPath: "key" });
        db.createObjectStore("outbox", { keyPath: "key" });
        db.createObjectStore("meta", { keyPath: "name" });
        db.createObjectStore("rejected", { keyPath: "key" });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
    });
    return opening;
  }

  /** Let go of the store; the next call opens it again. */
  async function close() {
    const was = opening;
    opening = null;
    const db = await was?.catch(() => null);
    db?.close();
  }

  /** Return every entry of one store. */
  async function all(store) {
    const db = await open();
    return promised(db.transaction(store).objectStore(store).getAll());
  }

  /** Return the records of one type, tombstones included. */
  async function records(type) {
    return (await all("records")).filter((record) => record.type === type);
  }

  /** Return one record, or undefined. */
  async function record(type, id) {
    const db = await open();
    return promised(db.transaction("records").objectStore("records").get(keyOf(type, id)));
  }

  /** Return a remembered value. */
  async function getMeta(name, fallback = null) {
    const db = await open();
    const entry = await promised(db.transaction("meta").objectStore("meta").get(name));
    return entry ? entry.value : fallback;
  }

  /** Remember a value. */
  async function setMeta(name, value) {
    const db = await open();
    const tx = db.transaction("meta", "readwrite");
    tx.objectStore("meta").put({ name, value });
    return finished(tx);
  }

  /** Keep a change made on this device: the record at once, and the change in the outbox. */
  async function save(change) {
    const db = await open();
    const tx = db.transaction(["records", "outbox"], "readwrite");
    const key = keyOf(change.type, change.id);
    tx.objectStore("records").put({ key, ...change });
    const outbox = tx.objectStore("outbox");
    const waiting = await promised(outbox.get(key));
    // One entry per record, holding its latest version, in the order records were first made.
    lastOrder = Math.max(Date.now(), lastOrder + 1);
    outbox.put({ key, order: waiting ? waiting.order : lastOrder, change });
    return finished(tx);
  }

  /** Keep a value for an idempotent PUT: one entry per URL, its latest keys, last in line. */
  async function savePut(url, body) {
    const db = await open();
    const tx = db.transaction("outbox", "readwrite");
    const outbox = tx.objectStore("outbox");
    const key = `put:${url}`;
    const waiting = await promised(outbox.get(key));
    lastOrder = Math.max(Date.now(), lastOrder + 1);
    outbox.put({ key, order: lastOrder, put: { url, body: { ...waiting?.put.body, ...body } } });
    return finished(tx);
  }

  /** A sent PUT leaves the outbox unless written again since; a refusal is kept to show. */
  async function settlePut(entry, message = null) {
    const db = await open();
    const tx = db.transaction(["outbox", "rejected"], "readwrite");
    const outbox = tx.objectStore("outbox");
    const waiting = await promised(outbox.get(entry.key));
    if (waiting && waiting.order === entry.order) outbox.delete(entry.key);
    const rejected = tx.objectStore("rejected");
    if (message === null) rejected.delete(entry.key);
    else rejected.put({ key: entry.key, put: entry.put, message });
    return finished(tx);
  }

  /**
   * Take the server's answers to a batch: acknowledged changes leave the outbox (unless
   * changed again meanwhile); rejected ones move to `rejected` and their local copy goes.
   * Return whether any was rejected.
   */
  async function acknowledge(sent, results) {
    const db = await open();
    const tx = db.transaction(["records", "outbox", "rejected"], "readwrite");
    const outbox = tx.objectStore("outbox");
    let anyRejected = false;
    for (const [index, change] of sent.entries()) {
      const result = results[index];
      if (!result || result.id !== change.id) continue;
      const key = keyOf(change.type, change.id);
      const waiting = await promised(outbox.get(key));
      const same = waiting && waiting.change.updated_at === change.updated_at;
      if (same) outbox.delete(key);
      if (result.status === "rejected") {
        anyRejected = true;
        tx.objectStore("rejected").put({ key, change, message: result.message || "" });
        if (same) tx.objectStore("records").delete(key);
      }
    }
    await finished(tx);
    return anyRejected;
  }

  /** Merge records pulled from the server; a newer change still waiting here is kept. */
  async function merge(changes) {
    if (!changes.length) return;
    const db = await open();
    const tx = db.transaction(["records", "outbox"], "readwrite");
    const outbox = tx.objectStore("outbox");
    // One read of the (usually empty) outbox, not one per record: a first pull of months of
    // wins then takes one short task instead of hundreds of round trips.
    const waitingEntries = await promised(outbox.getAll());
    const waitingByKey = new Map(waitingEntries.map((entry) => [entry.key, entry]));
    const records = tx.objectStore("records");
    for (const change of changes) {
      const key = keyOf(change.type, change.id);
      const waiting = waitingByKey.get(key);
      if (waiting && Date.parse(waiting.change.updated_at) > Date.parse(change.updated_at)) continue;
      if (waiting) outbox.delete(key);
      records.put({ key, ...change });
    }
    return finished(tx);
  }

  /** Forget one rejected change once the person has seen it. */
  async function dismiss(key) {
    const db = await open();
    const tx = db.transaction("rejected", "readwrite");
    tx.objectStore("rejected").delete(key);
    return finished(tx);
  }

  /** Delete everything this device keeps for the person. */
  async function clear() {
    await close();
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  // The outbox, sent to /api/v1/sync. Never loses a change: a record leaves the outbox only
  // when the server acknowledged its id.
  const SYNC = "/api/v1/sync";
  const OUTBOX_TAG = "smallsteps-outbox"; // the Background Sync a page asks the worker for
  const MAX_CHANGES = 500;
  const MAX_BYTES = 900 * 1024; // under the server's 1 MiB, with room for the envelope
  const MAX_ROUNDS = 40; // 500 changes a round is far more than a person makes offline
  const MAX_PAGES = 10000; // a pull comes 1,000 records a page: years of history fit
  let batchLimit = MAX_CHANGES;

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

  /** Return the words of a refusal's detail, which may name fields; "" when it has none. */
  function refusal(problem) {
    const { detail } = problem;
    if (detail && typeof detail === "object") return Object.values(detail).join(" ");
    // The error itself is a code for programs: the page says it in the person's words.
    return String(detail || "");
  }

  /** Send the values waiting to be set, oldest first; return the CSRF token, still good. */
  async function sendPuts(token) {
    // A page and the worker may both send: one at a time, so each value goes once.
    if (!self.navigator?.locks) return replayPuts(token);
    return navigator.locks.request("smallsteps-puts", () => replayPuts(token));
  }

  async function replayPuts(token) {
    for (let round = 0; round < MAX_ROUNDS * 10; round += 1) {
      const waiting = (await all("outbox")).filter((entry) => entry.put).sort((a, b) => a.order - b.order);
      if (!waiting.length) return token;
      const entry = waiting[0];
      token ||= await csrfToken();
      const response = await fetch(entry.put.url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(entry.put.body),
      });
      if (response.status === 401) throw new SignedOut(`${entry.put.url} answered 401`);
      if (response.ok) {
        await settlePut(entry);
        continue;
      }
      const problem = await response.json().catch(() => ({}));
      if (response.status === 400 && /CSRF/i.test(problem.error || "")) {
        token = null;
        continue;
      }
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        throw new Error(`${entry.put.url} answered ${response.status}`);
      }
      await settlePut(entry, refusal(problem));
    }
    return token;
  }

  /**
   * Send the outbox, a batch a round, and merge what other devices changed; `changed` is
   * called after each round. With `pull: false` (the worker) an empty outbox sends nothing
   * and what the server sends back is left for a page to pull. A 401 throws SignedOut.
   */
  async function sendOutbox({ pull = true, changed = () => undefined } = {}) {
    // Values set with a PUT go first, in the order they were made, then the records.
    let token = await sendPuts(null);
    let pages = 0;
    for (let round = 0; round < MAX_ROUNDS && pages < MAX_PAGES; round += 1) {
      const entries = (await all("outbox")).filter((entry) => entry.change).sort((a, b) => a.order - b.order);
      if (!pull && !entries.length) return;
      token ||= await csrfToken();
      const sent = pick(entries);
      const since = await getMeta("cursor");
      const response = await fetch(SYNC, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ since, changes: sent }),
      });
      if (response.status === 401) throw new SignedOut(`${SYNC} answered 401`);
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        if (response.status === 400 && problem.error === "invalid cursor") {
          await setMeta("cursor", null);
          continue;
        }
        if (response.status === 400 && /CSRF/i.test(problem.error || "")) {
          token = null;
          continue;
        }
        if (response.status === 413 && batchLimit > 1) {
          batchLimit = Math.max(1, Math.floor(sent.length / 2));
          continue;
        }
        throw new Error(`${SYNC} answered ${response.status}`);
      }
      const answer = await response.json();
      const anyRejected = await acknowledge(sent, answer.results);
      // After a refusal, pull everything again so this device matches the server.
      if (pull) {
        await merge(answer.changes);
        await setMeta("cursor", anyRejected ? null : answer.cursor);
        if (!answer.more) await setMeta("pulled", true);
      } else if (anyRejected) {
        await setMeta("cursor", null);
      }
      changed();
      // Only a page of the pull is left: ask for the next.
      if (pull && answer.more && !anyRejected && sent.length === entries.length) {
        pages += 1;
        round -= 1;
        continue;
      }
      if (sent.length === entries.length && !anyRejected) return;
    }
  }

  // Nudges: where a device's push subscription goes, and the server's key that signs them.
  const SUBSCRIPTIONS = "/api/v1/push/subscriptions";
  const SERVER_KEY = "/api/v1/push/key";

  /** Return the bytes of a base64url string, as the Push API takes a server's key. */
  function bytesOf(base64url) {
    const text = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(text + "=".repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(raw, (char) => char.charCodeAt(0));
  }

  /** Return the server's key for push subscriptions, as bytes. */
  async function serverKey() {
    return bytesOf((await json(SERVER_KEY)).key);
  }

  // Words in a language, from its catalog (/i18n/<language>.json): a text by its English
  // source text, a plural's forms by its singular and CLDR category; English where none.
  function speaker(language, catalog) {
    let lang = String(language || "en").replace(/_/g, "-");
    let rules;
    try {
      rules = new Intl.PluralRules(lang);
    } catch {
      lang = "en";
      rules = new Intl.PluralRules(lang);
    }
    const own = (key) => (catalog && Object.hasOwn(catalog, key) ? catalog[key] : null);
    // {name} is values.name, a number written the language's way.
    const fill = (text, values = {}) =>
      text.replace(/\{(\w+)\}/g, (whole, name) =>
        Object.hasOwn(values, name) ? (values[name] ?? "").toLocaleString(lang) : whole,
      );
    const t = (text, values) => fill((typeof own(text) === "string" && own(text)) || text, values);
    function nt(singular, plural, count, values) {
      const forms = own(singular) || {};
      const found = forms[rules.select(count)] || forms.other;
      return fill(found || (count === 1 ? singular : plural), { count, ...values });
    }
    return { lang, t, nt };
  }

  self.smallSteps = {
    words: { speaker },
    api: { SignedOut, json, csrfToken, send },
    store: {
      keyOf, nextStamp, open, close, all, records, record, getMeta, setMeta, save, savePut, dismiss,
      clear,
    },
    outbox: { OUTBOX_TAG, sendOutbox },
    nudges: { SUBSCRIPTIONS, serverKey },
  };
})();
