// The settings page: "Save settings" lands on this device first and syncs with
// `PUT /api/v1/settings` (writes.js); the settings page's template loads this module.
import { t } from "./i18n.js";
import * as writes from "./writes.js";

const URL = "/api/v1/settings";
const NUMBERS = ["week_start", "grace", "day_start"];

/** Return the form's settings in the API's shape. */
function settingsOf(form) {
  const { elements } = form;
  const body = { display_name: elements.display_name.value.trim(), timezone: elements.timezone.value };
  for (const name of NUMBERS) body[name] = Number(elements[name].value);
  body.show_streak = elements.show_streak.checked;
  return body;
}

/** Show the settings this device holds but the server hasn't had yet, on a kept copy too. */
function fill(form, body) {
  for (const [name, value] of Object.entries(body)) {
    const input = form.elements[name];
    if (!input) continue;
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = String(value);
  }
}

function init() {
  const form = document.querySelector("form[data-offline=settings]");
  if (!form) return;
  writes.takeOver(form, { url: () => URL, body: settingsOf, sent: () => t("Settings saved.") });
  writes.waiting().then((values) => {
    if (values.has(URL)) fill(form, values.get(URL));
  });
}

init();
