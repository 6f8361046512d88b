// The one entry every page loads, wiring what every page has: the app around the pages
// (pwa.js), nudges on this device (nudges.js) and small form helpers; every page works
// without them. A page's own module (today.js, goals.js) comes from that page's template,
// starts itself and imports only leaf modules (dom, api, store, sync); none imports this one.
import { localIsoString } from "./dom.js";
import { nt, t } from "./i18n.js";
import * as nudges from "./nudges.js";
import * as pwa from "./pwa.js";
import * as writes from "./writes.js";

function fillTimeZone() {
  const inputs = document.querySelectorAll('input[data-fill="timezone"]');
  // Intl's first use loads locale data, a long task on a slow phone: only sign-up needs it.
  if (!inputs.length) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const input of inputs) {
    if (!input.value && zone) input.value = zone;
  }
}

function stampOnSubmit() {
  for (const input of document.querySelectorAll('input[data-fill="now"]')) {
    input.form?.addEventListener("submit", () => {
      input.value = localIsoString();
    });
  }
}

function suggestionChips() {
  const text = document.querySelector("#log-form input[name=text]");
  if (!text) return;
  for (const chip of document.querySelectorAll("[data-suggestion]")) {
    chip.addEventListener("click", () => {
      text.value = chip.dataset.suggestion;
      // The field is filled, not focused: a phone's keyboard would cover the Log button.
      text.dispatchEvent(new Event("input"));
    });
  }
}

function characterCounts() {
  for (const input of document.querySelectorAll("[data-count]")) {
    const counter = document.getElementById(input.dataset.count);
    const limit = Number(input.getAttribute("maxlength"));
    if (!counter || !limit) continue;
    const update = () => {
      const left = limit - input.value.length;
      counter.textContent =
        left < 40
          ? nt("{count} character left", "{count} characters left", left)
          : t("Up to {limit} characters.", { limit });
    };
    input.addEventListener("input", update);
    update();
  }
}

fillTimeZone();
stampOnSubmit();
suggestionChips();
characterCounts();
pwa.init();
nudges.init();
writes.showNote();
