// Today, offline-first: wins come from this device's store at once, and logging, editing
// and deleting a win land there before anything goes over the network. Today's template
// loads this module; it starts itself and imports only leaf modules.
import { element, localIsoString, showFieldError } from "./dom.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

// The same words the server celebrates with.
const CELEBRATIONS = [
  "That counts. Well done.",
  "One more small step. Nice.",
  "You showed up for yourself.",
  "Noticed and kept. That matters.",
  "Small wins add up. This is one.",
];
const ENERGY = { low: "low", ok: "okay", high: "high" };
const EMPTY = "Nothing logged yet today, and that's okay. Rest is part of it too.";

const section = document.getElementById("today-wins");
const list = document.getElementById("win-list");
const form = document.getElementById("log-form");
// Live regions, in the page from the start so screen readers say what lands in them.
const news = document.getElementById("log-news");
const toast = document.getElementById("toast");
const timeZone = section.dataset.timezone || "UTC";
const dayStart = Number(section.dataset.dayStart || 0);
// Wins the server put in the page, kept until this device has pulled everything once.
const serverItems = [...list.querySelectorAll("li[data-id]")];
// While a win is being edited, news from other devices waits so the editor stays put.
let editing = false;

/** Return the local date a device timestamp belongs to, shifted back by the day start. */
export function localDate(occurredAt, shift = dayStart) {
  const wall = new Date(`${occurredAt.slice(0, 19)}Z`);
  wall.setUTCHours(wall.getUTCHours() - shift);
  return wall.toISOString().slice(0, 10);
}

/** Return today's date in the person's time zone, with the same day-start shift. */
export function today(now = Date.now()) {
  const shifted = new Date(now - dayStart * 3600 * 1000);
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(shifted);
}

function showDay() {
  const heading = document.querySelector(".today-title .date");
  const shifted = new Date(Date.now() - dayStart * 3600 * 1000);
  const options = { timeZone, weekday: "long", day: "numeric", month: "long" };
  if (heading) heading.textContent = new Intl.DateTimeFormat("en-GB", options).format(shifted);
}

function winItem(win, steps) {
  const item = element("li", "win");
  item.dataset.id = win.id;
  const { text, occurred_at: occurredAt, energy, step_id: stepId, note } = win.data;
  const meta = element("p", "win-meta");
  const time = element("time", "", occurredAt.slice(11, 16));
  time.dateTime = occurredAt;
  meta.append(time);
  if (energy) meta.append(element("span", "tag", `energy: ${ENERGY[energy]}`));
  if (stepId && steps.has(stepId)) meta.append(element("span", "tag", steps.get(stepId)));
  item.append(element("p", "win-text", text), meta);
  if (note) item.append(element("p", "win-note", note));
  const actions = element("div", "win-actions");
  for (const [action, label] of [["edit", "Edit"], ["delete", "Delete"]]) {
    const button = element("button", "link-button", label);
    button.type = "button";
    button.dataset.action = action;
    button.append(element("span", "visually-hidden", ` “${text}”`));
    actions.append(button);
  }
  item.append(actions);
  return item;
}

/** Say something in a live region, in place of what was said before, maybe with an action. */
function say(region, message, category = "info", action = null) {
  if (!region) return;
  const note = element("p", `flash flash-${category}`, message);
  if (action) note.append(" ", action);
  region.replaceChildren(note);
}

/** Celebrate just under the Log button, where the person is looking. */
function celebrate(message) {
  toast?.replaceChildren();
  say(news, message, "celebrate");
  news?.scrollIntoView({ block: "nearest" });
}

/** Tell the person at the bottom of the screen, where the thumb is. */
function tell(message, action = null) {
  news?.replaceChildren();
  say(toast, message, "info", action);
}

/** Show today's wins from this device's store, newest first. */
export async function render() {
  if (editing) return null;
  const [wins, steps, pulled] = await Promise.all([
    store.records("win"),
    store.records("step"),
    store.getMeta("pulled", false),
  ]);
  const day = today();
  const mine = wins
    .filter((win) => !win.deleted && localDate(win.data.occurred_at) === day)
    .sort(
      (a, b) =>
        Date.parse(b.data.occurred_at) - Date.parse(a.data.occurred_at) ||
        Date.parse(b.updated_at) - Date.parse(a.updated_at),
    );
  const live = new Map(steps.filter((s) => !s.deleted).map((s) => [s.id, s.data.title]));
  const items = mine.map((win) => winItem(win, live));
  if (!pulled) {
    const known = new Set(wins.map((win) => win.id));
    items.push(...serverItems.filter((item) => !known.has(item.dataset.id)));
  }
  if (items.length) {
    const ol = element("ol", "wins");
    ol.append(...items);
    list.replaceChildren(ol);
  } else {
    list.replaceChildren(element("p", "empty", EMPTY));
  }
  offerSteps(steps);
  return mine.length;
}

function offerSteps(steps) {
  const select = form.querySelector("select[name=step_id]");
  if (!select) return;
  const present = new Set([...select.options].map((option) => option.value));
  for (const step of steps) {
    if (step.deleted) select.querySelector(`option[value="${step.id}"]`)?.remove();
    else if (!present.has(step.id)) select.add(new Option(step.data.title, step.id));
  }
}

async function logWin(event) {
  event.preventDefault();
  if (!(await store.offlineFirst())) return form.submit(); // no store here: the server's form
  const text = form.elements.text.value.trim();
  if (!text) {
    showFieldError(form.elements.text, "Write a few words about your win.");
    form.elements.text.focus();
    return;
  }
  showFieldError(form.elements.text, "");
  const data = {
    text,
    occurred_at: localIsoString(),
    step_id: form.elements.step_id?.value || null,
    energy: form.querySelector("input[name=energy]:checked")?.value || null,
    note: form.elements.note.value.trim(),
  };
  const win = { type: "win", id: crypto.randomUUID(), updated_at: store.nextStamp(), deleted: false, data };
  const kept = sync.keep(win);
  // Ready for the next win at once; the one just logged is already in hand.
  form.reset();
  form.elements.text.dispatchEvent(new Event("input"));
  try {
    await kept;
  } catch {
    form.elements.text.value = text; // no store on this device: the page's own form works
    form.submit();
    return;
  }
  const count = await render();
  celebrate(CELEBRATIONS[(Math.max(count, 1) - 1) % CELEBRATIONS.length]);
  store.keepDataSafe();
}

function editForm(win, item) {
  const editor = element("form", "stack win-edit");
  const id = `edit-${win.id}`;
  const label = element("label", "", "Your win");
  label.htmlFor = `${id}-text`;
  const input = element("input");
  Object.assign(input, { id: `${id}-text`, type: "text", maxLength: 280, value: win.data.text });
  const noteLabel = element("label", "", "A note for yourself (optional)");
  noteLabel.htmlFor = `${id}-note`;
  const note = element("textarea");
  Object.assign(note, { id: `${id}-note`, rows: 3, value: win.data.note || "" });
  const textField = element("div", "field");
  const noteField = element("div", "field");
  textField.append(label, input);
  noteField.append(noteLabel, note);
  const save = element("button", "button primary", "Save");
  const cancel = element("button", "button", "Cancel");
  cancel.type = "button";
  const actions = element("div", "actions");
  actions.append(save, cancel);
  editor.append(textField, noteField, actions);
  cancel.addEventListener("click", () => {
    editing = false;
    render();
  });
  editor.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return showFieldError(input, "Write a few words about your win.");
    const data = { ...win.data, text, note: note.value.trim() };
    editing = false;
    await sync.keep({ ...win, updated_at: store.nextStamp(win.updated_at), data });
    await render();
    tell("Saved.");
  });
  editing = true;
  item.replaceChildren(editor);
  input.focus();
}

async function onListClick(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const id = button.closest("li[data-id]").dataset.id;
  const win = await store.record("win", id);
  if (!win) return;
  if (button.dataset.action === "edit") return editForm(win, button.closest("li"));
  const gone = { ...win, deleted: true, updated_at: store.nextStamp(win.updated_at) };
  await sync.keep(gone);
  await render();
  const undo = element("button", "link-button", "Undo");
  undo.type = "button";
  undo.addEventListener("click", async () => {
    await sync.keep({ ...gone, deleted: false, updated_at: store.nextStamp(gone.updated_at) });
    await render();
    tell("Brought back.");
  });
  tell(`Deleted “${win.data.text}”.`, undo);
}

/**
 * Take over the Today page: keep changes on this device and render from its store. The log
 * form is taken at once, so a win logged as the page opens waits for the store, not the server.
 */
function init() {
  form.addEventListener("submit", logWin);
  store.offlineFirst().then((offlineFirst) => {
    if (!offlineFirst) return undefined;
    showDay();
    list.addEventListener("click", onListClick);
    sync.events.addEventListener("changed", render);
    return render();
  });
}

init();
