// The goal pages, offline-first: adding, editing and removing goals and steps lands on this
// device at once and waits in the outbox. Online, the page then shows the server's own
// view; offline, the change shows here, and kept copies of these pages show it too. The goal
// pages' templates load this module (Today never does); it starts itself and imports only
// leaf modules.
import { element, flash, ownWords, showFieldError } from "./dom.js";
import { nt, t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

// The forms' limits (forms.py), counted in characters as the server counts them.
const LIMITS = { title: 120, why: 2000, pairing: 120 };
const NOTE_KEY = "smallsteps.note";
const WAITING = t("Saved on this device; it syncs when you're back online.");
const SHOWN = {
  weekly_target: (days) => (days ? nt("{count} day a week", "{count} days a week", Number(days)) : ""),
  pairing: (pairing) =>
    // Translators: a step's pairing, shown beside it: "with my morning coffee".
    pairing ? ownWords((own) => t("with {pairing}", { pairing: own }), pairing) : "",
};

/** This device could not keep a change; the server's own form takes it instead. */
class NotKept extends Error {}

/** Return a link for a flash: where to go next. */
const link = (text, href) => Object.assign(element("a", "", text), { href });

/** Go where the server's own form would, with the words it would have shown there. */
function leave(url, message) {
  sessionStorage.setItem(NOTE_KEY, message);
  location.assign(url);
}

/** Return whether the change reached the server. */
async function sendNow() {
  if (!navigator.onLine) return false;
  await sync.drain();
  return (await store.all("outbox")).length === 0 && !sync.state.unreachable;
}

const trimmed = (form, name) => form.elements[name].value.trim();
const newer = (record, stamp) => Boolean(record) && Date.parse(record.updated_at) > Date.parse(stamp);
const atLeastAsNew = (record, stamp) => Boolean(record) && Date.parse(record.updated_at) >= Date.parse(stamp);
const onPage = (type, id) => document.querySelector(`[data-record="${type}"][data-id="${id}"]`);

/** Check the fields as the server does, showing each problem under its field. */
function valid(form, nameMissing) {
  const problems = [];
  for (const [name, limit] of Object.entries(LIMITS)) {
    const input = form.elements[name];
    if (!input) continue;
    const length = [...input.value.trim()].length;
    let message = "";
    if (name === "title" && !length) message = nameMissing;
    else if (length > limit) message = t("Keep it to {limit} characters.", { limit });
    showFieldError(input, message);
    if (message) problems.push(input);
  }
  problems[0]?.focus();
  return !problems.length;
}

function stepData(form, goalId, parentStepId) {
  const target = form.elements.weekly_target.value;
  return {
    title: trimmed(form, "title"),
    goal_id: goalId,
    parent_step_id: parentStepId || null,
    weekly_target: target ? Number(target) : null,
    pairing: trimmed(form, "pairing"),
  };
}

/** Keep a new version of a record, stamped later than any version this device has seen. */
async function keep(type, id, seen, data, deleted = false) {
  const known = await store.record(type, id).catch(() => undefined);
  const stamps = [known?.updated_at, seen].filter(Boolean).map(Date.parse);
  const previous = stamps.length ? new Date(Math.max(...stamps)).toISOString() : undefined;
  const change = { type, id, updated_at: store.nextStamp(previous), deleted };
  change.data = data ?? known?.data ?? null;
  await sync.keep(change).catch(() => {
    throw new NotKept();
  });
  return change;
}

async function addGoal(form) {
  if (!valid(form, t("Give your goal a name."))) return;
  const data = { title: trimmed(form, "title"), why: trimmed(form, "why") };
  const goal = await keep("goal", crypto.randomUUID(), null, data);
  if (await sendNow()) return leave(`/goals/${goal.id}`, t("Goal added. What's one small step toward it?"));
  await reflect();
  form.reset();
  flash(t("Goal added. It will sync when you're back online."));
}

async function addStep(form) {
  if (!valid(form, t("Name the step."))) return;
  const goalId = form.action.match(/\/goals\/([^/]+)\/steps/)[1];
  await keep("step", crypto.randomUUID(), null, stepData(form, goalId, form.elements.parent_step_id?.value));
  if (await sendNow()) return leave(location.pathname, t("Added. Small is good."));
  await reflect();
  form.reset();
  form.closest("details")?.removeAttribute("open");
  flash(t("Added. Small is good."));
}

async function editGoal(form) {
  if (!valid(form, t("Give your goal a name."))) return;
  const { id } = form.dataset;
  // An edit keeps the goal where it is, archived or not, as this device last had it.
  const known = await store.record("goal", id).catch(() => undefined);
  const archived = atLeastAsNew(known, form.dataset.updatedAt)
    ? Boolean(known.data?.archived)
    : form.dataset.archived === "true";
  const data = { title: trimmed(form, "title"), why: trimmed(form, "why"), archived };
  form.dataset.updatedAt = (await keep("goal", id, form.dataset.updatedAt, data)).updated_at;
  if (await sendNow()) return leave(`/goals/${id}`, t("Saved."));
  flash(WAITING, "info", link(t("Back to the goal"), `/goals/${id}`));
}

async function editStep(form) {
  if (!valid(form, t("Name the step."))) return;
  const { id, goalId, parentStepId } = form.dataset;
  const data = stepData(form, goalId, parentStepId);
  form.dataset.updatedAt = (await keep("step", id, form.dataset.updatedAt, data)).updated_at;
  if (await sendNow()) return leave(`/goals/${goalId}`, t("Saved."));
  flash(WAITING, "info", link(t("Back to the goal"), `/goals/${goalId}`));
}

/** Return the live steps of a goal that this page or this device knows: id → bigger step. */
async function stepsOf(goalId) {
  const parents = new Map();
  for (const rung of document.querySelectorAll(".ladder [data-record=step]")) {
    parents.set(rung.dataset.id, rung.dataset.parent || null);
  }
  for (const step of await store.records("step")) {
    if (!step.deleted && step.data?.goal_id === goalId) parents.set(step.id, step.data.parent_step_id);
  }
  return parents;
}

/** Remove a step and every smaller step under it, as the server's form does. */
async function removeStep(form) {
  const parents = await stepsOf(document.querySelector("section[data-record=goal]").dataset.id);
  const gone = [form.closest("[data-record=step]").dataset.id];
  for (let index = 0; index < gone.length; index += 1) {
    for (const [id, parent] of parents) if (parent === gone[index] && !gone.includes(id)) gone.push(id);
  }
  const seen = gone.map((id) => onPage("step", id)?.dataset.updatedAt);
  // Kept before the rungs go: a form taken off the page could no longer be posted instead.
  for (const [index, id] of gone.entries()) await keep("step", id, seen[index], null, true);
  gone.forEach((id) => onPage("step", id)?.remove());
  showLadder();
  const heading = document.getElementById("ladder-title");
  heading.tabIndex = -1; // focus stays near the ladder rather than falling back to the top
  heading.focus();
  flash(
    (await sendNow())
      ? t("Step removed. Your wins stay with you.")
      : t("Step removed. Your wins stay with you. It will sync when you're back online."),
  );
}

/** Delete a goal and every step of it, as the server's form does. */
async function deleteGoal(form) {
  const { id } = form.dataset;
  const seen = new Map(JSON.parse(form.dataset.steps).map((step) => [step.id, step.updated_at]));
  for (const stepId of (await stepsOf(id)).keys()) if (!seen.has(stepId)) seen.set(stepId, null);
  await keep("goal", id, form.dataset.updatedAt, null, true);
  for (const [stepId, stamp] of seen) await keep("step", stepId, stamp, null, true);
  if (await sendNow()) return leave("/goals", t("Goal deleted. The wins you logged toward it stay with you."));
  goalGone(t("Goal deleted. The wins you logged toward it stay with you. It will sync when you're back online."));
}

function goalGone(message) {
  document.querySelectorAll("main > section").forEach((section) => section.remove());
  flash(message, "info", link(t("Back to your goals"), "/goals"));
}

/** Archive a goal or bring it back: an edit of the goal like any other, kept here first. */
async function archiveGoal(form) {
  const node = form.closest("[data-record=goal]");
  const { id, updatedAt } = node.dataset;
  const archived = !form.action.endsWith("/unarchive");
  const known = await store.record("goal", id).catch(() => undefined);
  const fields = atLeastAsNew(known, updatedAt) && known.data ? known.data : form.dataset;
  const data = { title: fields.title, why: fields.why || "", archived };
  const change = await keep("goal", id, updatedAt, data);
  if (await sendNow()) {
    return archived ? leave("/goals", t("Archived. You can bring it back any time.")) : leave(`/goals/${id}`, "");
  }
  if (node.matches("section")) {
    node.dataset.updatedAt = change.updated_at;
    showArchived(node, archived);
  } else await reflect(); // a list of goals: the goal moves to where it now belongs
  flash(
    archived
      ? t("Archived. You can bring it back any time. It will sync when you're back online.")
      : t("Brought back. It will sync when you're back online."),
  );
}

/** Show a goal's page as archived or not: its tag and the button that changes it. */
function showArchived(section, archived) {
  const form = section.querySelector("form[data-offline=archive]");
  if (!form) return;
  form.action = form.action.replace(/\/(un)?archive$/, archived ? "/unarchive" : "/archive");
  form.querySelector("button").textContent = archived ? t("Bring back") : t("Archive");
  const tag = section.querySelector(":scope > p.tag");
  if (!archived) tag?.remove();
  else if (!tag) section.querySelector(".why").after(element("p", "tag", t("Archived")));
}

/** Return whether a goal on a list of goals sits in the list its archived state says. */
function inItsList(node, record) {
  const inArchived = Boolean(node.closest("[aria-labelledby=archived-title]"));
  return inArchived === Boolean(record.data?.archived);
}

function showFields(node, data) {
  for (const field of node.querySelectorAll("[data-field]")) {
    if (field.closest("[data-record]") !== node) continue; // a smaller record's own field
    const name = field.dataset.field;
    field.replaceChildren((SHOWN[name] || String)(data[name] ?? ""));
    field.hidden = !field.textContent;
  }
}

function showLadder() {
  const ladder = document.querySelector("ol.ladder");
  if (!ladder) return;
  ladder.hidden = !ladder.querySelector(".rung");
  ladder.parentElement.querySelector(".empty").hidden = !ladder.hidden;
}

/** Return an element showing a record's field: the person's own words (title, why). */
function field(tag, className, name, text) {
  const node = element(tag, className, text);
  node.dataset.field = name;
  node.dir = "auto";
  node.hidden = !text;
  return node;
}

/** Return a new goal or rung for a record that waits to sync, marked as saved here. */
function waitingItem(record, className) {
  const item = element("li", className);
  Object.assign(item.dataset, { record: record.type, id: record.id, updatedAt: record.updated_at });
  const rung = className === "rung";
  const heading = element(rung ? "p" : "h2", rung ? "rung-title" : "");
  heading.append(field("span", "", "title", record.data.title));
  item.append(heading);
  if (!rung) item.append(field("p", "why", "why", record.data.why));
  item.append(element("p", rung ? "rung-meta" : "hint", WAITING));
  return item;
}

/** Show a new goal or step that waits to sync and that this page, maybe a kept copy, lacks. */
function showWaiting(change) {
  if (change.type === "goal" && document.getElementById("new-goal")) {
    let goals = document.querySelector("ul.goals");
    if (!goals) {
      goals = element("ul", "goals");
      document.querySelector("main .card .empty")?.replaceWith(goals);
    }
    goals.append(waitingItem(change, "goal"));
  }
  const goal = document.querySelector("section[data-record=goal]");
  if (change.type !== "step" || change.data.goal_id !== goal?.dataset.id) return;
  const rung = waitingItem(change, "rung");
  rung.id = `step-${change.id}`;
  rung.dataset.parent = change.data.parent_step_id || "";
  const parent = rung.dataset.parent && onPage("step", rung.dataset.parent);
  const depth = parent ? Number(parent.className.match(/depth-(\d)/)?.[1] || 0) + 1 : 0;
  rung.classList.add(`depth-${Math.min(depth, 3)}`);
  if (parent) parent.after(rung);
  else document.querySelector("ol.ladder").append(rung);
}

/** Show what changed on this device since the server wrote this page, kept copies too. */
async function reflect() {
  const [records, outbox] = await Promise.all([store.all("records"), store.all("outbox")]);
  const byKey = new Map(records.map((record) => [record.key, record]));
  for (const node of document.querySelectorAll("[data-record]")) {
    const record = byKey.get(store.keyOf(node.dataset.record, node.dataset.id));
    if (!newer(record, node.dataset.updatedAt)) continue;
    node.dataset.updatedAt = record.updated_at;
    if (record.deleted || (node.matches("li") && record.type === "goal" && !inItsList(node, record))) {
      if (node.matches("li")) node.remove();
      else goalGone(t("This goal was deleted on this device. The wins you logged toward it stay with you."));
      continue;
    }
    showFields(node, record.data);
    if (record.type === "goal" && node.matches("section")) showArchived(node, Boolean(record.data?.archived));
  }
  for (const { change } of outbox.sort((a, b) => a.order - b.order)) {
    if (change && !change.deleted && !change.data?.archived && !onPage(change.type, change.id)) {
      showWaiting(change);
    }
  }
  showLadder();
}

/** Fill an edit form from this device's newer version, when the page is a kept copy. */
async function fillNewer(form) {
  const type = form.dataset.offline === "edit-goal" ? "goal" : "step";
  const known = await store.record(type, form.dataset.id);
  if (!newer(known, form.dataset.updatedAt) || known.deleted) return;
  for (const [name, value] of Object.entries(known.data)) {
    if (form.elements[name]) form.elements[name].value = value ?? "";
  }
}

/** Take a form over; where this device can't keep changes, the server's form still works. */
function takeOver(form, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!(await store.offlineFirst())) return form.submit(); // no store here: the server's form
    try {
      await handler(form);
    } catch (error) {
      if (!(error instanceof NotKept)) throw error;
      form.submit();
    }
  });
}

const HANDLERS = {
  "edit-goal": editGoal,
  "edit-step": editStep,
  "remove-step": removeStep,
  "delete-goal": deleteGoal,
  archive: archiveGoal,
};

/**
 * Take the forms over at once, so a change made as the page opens still lands here; once the
 * store has opened, show what this device holds that the page lacks.
 */
function init() {
  const edits = [];
  for (const form of document.querySelectorAll("form[action$='/goals']")) takeOver(form, addGoal);
  for (const form of document.querySelectorAll("form[action$='/steps']")) takeOver(form, addStep);
  for (const form of document.querySelectorAll("form[data-offline]")) {
    const kind = form.dataset.offline;
    takeOver(form, HANDLERS[kind]);
    if (kind.startsWith("edit-")) edits.push(form);
  }
  const note = sessionStorage.getItem(NOTE_KEY);
  sessionStorage.removeItem(NOTE_KEY);
  if (note) flash(note);
  store.offlineFirst().then((offlineFirst) => {
    if (!offlineFirst) return;
    for (const form of edits) fillNewer(form).catch(() => undefined);
    const show = () => reflect().catch(() => undefined);
    sync.events.addEventListener("changed", show);
    show();
  });
}

init();
