// The nudge plan form: "Save plan" lands on this device first and syncs with
// `PUT /api/v1/nudges` (writes.js); the nudges page's template loads this module.
import * as writes from "./writes.js";

/** Return the plan form's plan in the API's shape, read as the server reads the form. */
function planOf(form) {
  const { elements } = form;
  const values = (name) => [...form.querySelectorAll(`input[name=${name}]`)];
  const start = elements.quiet_start.value.trim().slice(0, 5);
  const end = elements.quiet_end.value.trim().slice(0, 5);
  return {
    enabled: elements.enabled.checked,
    times: values("times").map((input) => input.value.trim().slice(0, 5)).filter(Boolean),
    weekdays: values("weekdays").filter((input) => input.checked).map((input) => Number(input.value)),
    quiet_hours: start || end ? { start, end } : null,
    only_if_no_win_today: elements.only_if_no_win_today.checked,
  };
}

const form = document.querySelector("form[action$='/settings/nudges']");
if (form) {
  const sent = () => (form.elements.enabled.checked ? "Nudge plan saved." : "Nudges are off.");
  writes.takeOver(form, { url: () => "/api/v1/nudges", body: planOf, sent });
}
