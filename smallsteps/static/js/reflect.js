// The weekly reflection, offline-first: the three questions one at a time, the answers kept
// on this device and sent with sync like a win (type "reflection"). Without a store the
// form posts to the server, all three questions on one page.
import { element, localIsoString } from "./dom.js";
import { t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

const QUESTIONS = ["tiny_step", "shifted", "then_and_now"];
const THANKS = t("Kept. Looking back is a small step too.");
const form = document.getElementById("reflect-form");
const news = document.getElementById("reflect-news");
const fieldsets = [...form.querySelectorAll("fieldset.question")];
const save = form.querySelector("button[type=submit]");
const week = form.dataset.week;
let id = form.dataset.id;

/** Show one question; the others wait. `focus` moves to its answer (after a tap, not on load). */
function show(index, focus = false) {
  fieldsets.forEach((fieldset, at) => {
    fieldset.hidden = at !== index;
  });
  save.hidden = index !== fieldsets.length - 1;
  if (focus) fieldsets[index].querySelector("textarea").focus();
}

function button(words, className, onClick) {
  const made = element("button", className, words);
  made.type = "button";
  made.addEventListener("click", onClick);
  return made;
}

function addSteps() {
  fieldsets.forEach((fieldset, at) => {
    const row = element("div", "actions");
    if (at < fieldsets.length - 1) {
      row.append(button(t("Next"), "button primary", () => show(at + 1, true)));
      row.append(button(t("Skip this one"), "link-button", () => show(at + 1, true)));
    }
    if (at > 0) row.append(button(t("Back"), "link-button", () => show(at - 1, true)));
    fieldset.append(row);
  });
}

/** Take this week's answers from the device's copy when it holds them. */
async function fromDevice() {
  const kept = (await store.records("reflection"))
    .filter((record) => !record.deleted && record.data.week_of === week)
    .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at))[0];
  if (!kept) return;
  id = kept.id;
  for (const key of QUESTIONS) form.elements[key].value = kept.data.answers[key] || "";
}

async function keepAnswers(event) {
  event.preventDefault();
  if (!(await store.offlineFirst())) return form.submit();
  const answers = Object.fromEntries(QUESTIONS.map((key) => [key, form.elements[key].value.trim()]));
  const previous = await store.record("reflection", id);
  const reflection = {
    type: "reflection",
    id,
    updated_at: store.nextStamp(previous?.updated_at),
    deleted: false,
    data: { week_of: week, answers, written_at: localIsoString() },
  };
  try {
    await sync.keep(reflection);
  } catch {
    return form.submit(); // this device could not keep it: the server's form takes it
  }
  news.replaceChildren(element("p", "flash flash-celebrate", THANKS));
  news.scrollIntoView({ block: "nearest" });
  return undefined;
}

form.addEventListener("submit", keepAnswers);
store.offlineFirst().then(async (offlineFirst) => {
  if (!offlineFirst) return;
  await fromDevice().catch(() => undefined);
  addSteps();
  show(0);
});
