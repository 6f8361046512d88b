// Today and any earlier day, offline-first: wins come from this device's store at once, and
// logging (now or for an earlier time), editing, moving and deleting a win land there before
// anything goes over the network. Today's page and a day's page load this module; it starts
// itself and imports only leaf modules.
import { element, localIsoString, ownElement, ownWords, showFieldError } from "./dom.js";
import { lang, t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

// The same words the server celebrates with.
const CELEBRATIONS = [
  // Translators: said just after a person logs a win; warm and short, never over the top.
  t("That counts. Well done."),
  t("One more small step. Nice."),
  t("You showed up for yourself."),
  t("Noticed and kept. That matters."),
  t("Small wins add up. This is one."),
];
// A win logged for an earlier day: the first celebration, and the day it was kept for.
const KEPT_FOR = (day) => t("That counts. Well done. Kept for {day}.", { day });
const ENERGY = {
  low: () => t("energy: low"),
  ok: () => t("energy: okay"),
  high: () => t("energy: high"),
};
const EMPTY_TODAY = t("Nothing logged yet today, and that's okay. Rest is part of it too.");
const EMPTY_DAY = t("Nothing logged this day. Rest is part of it too.");
const EVENING = "20:00";
const DAY_PATH = /^\/days\/(\d{4}-\d{2}-\d{2})$/;

const section = document.getElementById("today-wins");
const list = document.getElementById("win-list");
const form = document.getElementById("log-form");
// Live regions, in the page from the start so screen readers say what lands in them.
const news = document.getElementById("log-news");
const toast = document.getElementById("toast");
const timeZone = section.dataset.timezone || "UTC";
const dayStart = Number(section.dataset.dayStart || 0);
// The earlier day this page shows, or null on Today. Offline, the worker may answer with
// another day's page: the address says which day is meant.
const shownDay = section.dataset.day ? location.pathname.match(DAY_PATH)?.[1] || section.dataset.day : null;
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

/** Return the date `days` after a YYYY-MM-DD date (before it, when negative). */
export function addDays(day, days) {
  const moment = new Date(`${day}T12:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
}

/** Return "Saturday, November 21, 2026" for a YYYY-MM-DD date, in the page's language. */
export function dayName(day, withYear = true) {
  const options = { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" };
  if (withYear) options.year = "numeric";
  return new Intl.DateTimeFormat(lang, options).format(new Date(`${day}T12:00:00Z`));
}

/** Return a wall time on a day the person lived, with this device's offset; a time before
 * the day-start hour is the small hours of the night after. */
export function wallTime(day, clock) {
  const [hours, minutes] = clock.split(":").map(Number);
  const wallDay = hours < dayStart ? addDays(day, 1) : day;
  const [year, month, date] = wallDay.split("-").map(Number);
  return localIsoString(new Date(year, month - 1, date, hours, minutes));
}

function dayUrl(day) {
  return day >= today() ? "/" : `/days/${day}`;
}

function showDay() {
  const heading = document.querySelector(".today-title .date, #day-title");
  if (!shownDay) {
    const shifted = new Date(Date.now() - dayStart * 3600 * 1000);
    const options = { timeZone, weekday: "long", day: "numeric", month: "long" };
    if (heading) heading.textContent = new Intl.DateTimeFormat(lang, options).format(shifted);
    return;
  }
  if (shownDay === section.dataset.day) return;
  // Another day's page drew this one: make it say this day everywhere.
  heading.textContent = dayName(shownDay, shownDay.slice(0, 4) !== today().slice(0, 4));
  const kicker = document.getElementById("day-kicker");
  if (kicker) kicker.hidden = shownDay !== addDays(today(), -1);
  document.title = t("{day} · Small Steps", { day: dayName(shownDay) });
  for (const link of document.querySelectorAll("[data-day-link]")) {
    link.href = dayUrl(addDays(shownDay, Number(link.dataset.dayLink)));
  }
  for (const name of ["day", "from_day"]) {
    const input = form.querySelector(`input[type=hidden][name=${name}]`);
    if (input) input.value = input.defaultValue = shownDay;
  }
  const low = document.getElementById("day-low-capacity");
  if (low) low.hidden = true;
}

function winItem(win, steps) {
  const item = element("li", "win");
  item.dataset.id = win.id;
  const { text, occurred_at: occurredAt, energy, step_id: stepId, note } = win.data;
  const meta = element("p", "win-meta");
  const time = element("time", "", occurredAt.slice(11, 16));
  time.dateTime = occurredAt;
  meta.append(time);
  if (energy && ENERGY[energy]) meta.append(element("span", "tag", ENERGY[energy]()));
  if (stepId && steps.has(stepId)) meta.append(ownElement("span", "tag", steps.get(stepId)));
  item.append(ownElement("p", "win-text", text), meta);
  if (note) item.append(ownElement("p", "win-note", note));
  const actions = element("div", "win-actions");
  for (const [action, label] of [["edit", t("Edit")], ["delete", t("Delete")]]) {
    const button = element("button", "link-button", label);
    button.type = "button";
    button.dataset.action = action;
    // Translators: read by screen readers after "Edit" or "Delete": which win it is.
    const which = t("“{text}”", { text });
    button.append(element("span", "visually-hidden", ` ${which}`));
    actions.append(button);
  }
  item.append(actions);
  return item;
}

/** Say something (words or a sentence from ownWords) in a live region, in place of what was
 * said before, maybe with an action. */
function say(region, message, category = "info", action = null) {
  if (!region) return;
  const note = element("p", `flash flash-${category}`);
  note.append(message);
  if (action) note.append(" ", action);
  region.replaceChildren(note);
}

/** Celebrate just under the Log button, where the person is looking. */
function celebrate(message, action = null) {
  toast?.replaceChildren();
  say(news, message, "celebrate", action);
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
  const day = shownDay || today();
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
    list.replaceChildren(element("p", "empty", shownDay ? EMPTY_DAY : EMPTY_TODAY));
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
    showFieldError(form.elements.text, t("Write a few words about your win."));
    form.elements.text.focus();
    return;
  }
  showFieldError(form.elements.text, "");
  const occurredAt = chosenMoment();
  if (!occurredAt) return;
  const data = {
    text,
    occurred_at: occurredAt,
    step_id: form.elements.step_id?.value || null,
    energy: form.querySelector("input[name=energy]:checked")?.value || null,
    note: form.elements.note.value.trim(),
  };
  const win = { type: "win", id: crypto.randomUUID(), updated_at: store.nextStamp(), deleted: false, data };
  const kept = sync.keep(win);
  // Ready for the next win at once; the one just logged is already in hand.
  form.reset();
  showWhen();
  form.elements.text.dispatchEvent(new Event("input"));
  try {
    await kept;
  } catch {
    form.elements.text.value = text; // no store on this device: the page's own form works
    form.submit();
    return;
  }
  const count = await render();
  const landed = localDate(occurredAt);
  if (landed === (shownDay || today())) {
    celebrate(CELEBRATIONS[(Math.max(count, 1) - 1) % CELEBRATIONS.length]);
  } else {
    celebrate(KEPT_FOR(dayName(landed, false)), openDay(landed));
  }
  store.keepDataSafe();
}

function openDay(day) {
  const link = element("a", "", t("See that day"));
  link.href = dayUrl(day);
  return link;
}

/** Return when the win happened as the form says (just now, yesterday evening, or a day and
 * time picked), or null after showing what to change. */
function chosenMoment() {
  const when = form.elements.when?.value || "now";
  if (when === "yesterday") return wallTime(addDays(today(), -1), EVENING);
  if (when !== "other") return localIsoString();
  return pickedMoment(form.elements.day, form.elements.time);
}

function pickedMoment(dayInput, timeInput) {
  const day = dayInput.value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < "2000-01-01" || day > today()) {
    if (dayInput.type !== "hidden") showFieldError(dayInput, t("Pick a day from 2000 to today ({today}).", { today: today() }));
    return null;
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(timeInput.value)) {
    showFieldError(timeInput, t("Pick a time, like 20:00."));
    return null;
  }
  const moment = wallTime(day, timeInput.value);
  if (Date.parse(moment) > Date.now() + 5 * 60 * 1000) {
    showFieldError(timeInput, t("That time hasn't come yet. Pick one up to now."));
    return null;
  }
  if (dayInput.type !== "hidden") showFieldError(dayInput, "");
  showFieldError(timeInput, "");
  return moment;
}

function editForm(win, item) {
  const editor = element("form", "stack win-edit");
  const id = `edit-${win.id}`;
  const label = element("label", "", t("Your win"));
  label.htmlFor = `${id}-text`;
  const input = element("input");
  Object.assign(input, { id: `${id}-text`, type: "text", maxLength: 280, value: win.data.text, dir: "auto" });
  const noteLabel = element("label", "", t("A note for yourself (optional)"));
  noteLabel.htmlFor = `${id}-note`;
  const note = element("textarea");
  Object.assign(note, { id: `${id}-note`, rows: 3, value: win.data.note || "", dir: "auto" });
  const textField = element("div", "field");
  const noteField = element("div", "field");
  textField.append(label, input);
  noteField.append(noteLabel, note);
  // Moving a win: the day it counts for and its wall time, as the person lived them.
  const wasDay = localDate(win.data.occurred_at);
  const wasTime = win.data.occurred_at.slice(11, 16);
  const moveRow = element("div", "when-other");
  const [dayField, dayInput] = labelled(`${id}-day`, t("Day"), { type: "date", value: wasDay, max: today(), min: "2000-01-01" });
  const [timeField, timeInput] = labelled(`${id}-time`, t("Time"), { type: "time", value: wasTime });
  moveRow.append(dayField, timeField);
  const save = element("button", "button primary", t("Save"));
  const cancel = element("button", "button", t("Cancel"));
  cancel.type = "button";
  const actions = element("div", "actions");
  actions.append(save, cancel);
  editor.append(textField, noteField, moveRow, actions);
  cancel.addEventListener("click", () => {
    editing = false;
    render();
  });
  editor.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return showFieldError(input, t("Write a few words about your win."));
    const data = { ...win.data, text, note: note.value.trim() };
    const moved = dayInput.value !== wasDay || timeInput.value !== wasTime;
    if (moved) {
      data.occurred_at = pickedMoment(dayInput, timeInput);
      if (!data.occurred_at) return;
    }
    editing = false;
    await sync.keep({ ...win, updated_at: store.nextStamp(win.updated_at), data });
    await render();
    const landed = localDate(data.occurred_at);
    if (landed !== (shownDay || today())) tell(t("Moved to {day}.", { day: dayName(landed, false) }), openDay(landed));
    else tell(t("Saved."));
  });
  editing = true;
  item.replaceChildren(editor);
  input.focus();
}

function labelled(id, words, properties) {
  const field = element("div", "field");
  const label = element("label", "", words);
  label.htmlFor = id;
  const input = element("input");
  Object.assign(input, { id, ...properties });
  field.append(label, input);
  return [field, input];
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
  const undo = element("button", "link-button", t("Undo"));
  undo.type = "button";
  undo.addEventListener("click", async () => {
    await sync.keep({ ...gone, deleted: false, updated_at: store.nextStamp(gone.updated_at) });
    await render();
    tell(t("Brought back."));
  });
  tell(ownWords((text) => t("Deleted “{text}”.", { text }), win.data.text), undo);
}

/**
 * Take over the Today page: keep changes on this device and render from its store. The log
 * form is taken at once, so a win logged as the page opens waits for the store, not the server.
 */
/** Show the day and time fields only while "Another time" is chosen. */
function showWhen() {
  const other = form.querySelector(".when .when-other");
  if (other && form.elements.when?.length) other.hidden = form.elements.when.value !== "other";
}

function init() {
  form.addEventListener("submit", logWin);
  store.offlineFirst().then((offlineFirst) => {
    if (!offlineFirst) return undefined;
    showDay();
    form.elements.when?.forEach?.((choice) => choice.addEventListener("change", showWhen));
    showWhen();
    list.addEventListener("click", onListClick);
    sync.events.addEventListener("changed", render);
    return render();
  });
}

init();
