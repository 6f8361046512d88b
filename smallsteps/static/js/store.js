// The person's goals, steps and wins on this device, and the outbox of changes to send.
// IndexedDB stores: records (the latest version of each), outbox (changes not yet
// acknowledged, one per record), meta (cursor and flags) and rejected (what the server
// refused, shown to the person).

const DB_NAME = "smallsteps";
let opening = null;
let lastOrder = 0;

/** Return the key a record is stored under. */
export const keyOf = (type, id) => `${type}:${id}`;

/** Return an updated_at for a new version: now, and always later than the one before. */
export function nextStamp(previous) {
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

/** Open the store, creating it the first time. */
export function open() {
  opening ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
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

/** Return every entry of one store. */
export async function all(store) {
  const db = await open();
  return promised(db.transaction(store).objectStore(store).getAll());
}

/** Return the records of one type, tombstones included. */
export async function records(type) {
  return (await all("records")).filter((record) => record.type === type);
}

/** Return one record, or undefined. */
export async function record(type, id) {
  const db = await open();
  return promised(db.transaction("records").objectStore("records").get(keyOf(type, id)));
}

/** Return a remembered value. */
export async function getMeta(name, fallback = null) {
  const db = await open();
  const entry = await promised(db.transaction("meta").objectStore("meta").get(name));
  return entry ? entry.value : fallback;
}

/** Remember a value. */
export async function setMeta(name, value) {
  const db = await open();
  const tx = db.transaction("meta", "readwrite");
  tx.objectStore("meta").put({ name, value });
  return finished(tx);
}

/** Keep a change made on this device: the record at once, and the change in the outbox. */
export async function save(change) {
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

/**
 * Take the server's answers to a batch: acknowledged changes leave the outbox (unless
 * changed again meanwhile); rejected ones move to `rejected` and their local copy goes.
 * Return whether any was rejected.
 */
export async function acknowledge(sent, results) {
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
export async function merge(changes) {
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
export async function dismiss(key) {
  const db = await open();
  const tx = db.transaction("rejected", "readwrite");
  tx.objectStore("rejected").delete(key);
  return finished(tx);
}

/** Delete everything this device keeps for the person. */
export async function clear() {
  const db = await open().catch(() => null);
  db?.close();
  opening = null;
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
