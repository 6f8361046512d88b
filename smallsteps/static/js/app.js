// Small enhancements; every page works without them.
import { init as startApp } from "./pwa.js";
import "./push.js";

/** Return the device's wall time with its UTC offset, like 2026-11-22T23:30:00+09:00. */
export function localIsoString(date = new Date()) {
  const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** Show a message under a field (or clear it with ""), tied to the field for screen readers. */
export function showFieldError(input, message) {
  const field = input.closest(".field");
  const id = `${input.id}-errors`;
  field.querySelector(".field-errors")?.remove();
  field.classList.toggle("has-error", Boolean(message));
  const described = (input.getAttribute("aria-describedby") || "").split(" ");
  const others = described.filter((token) => token && token !== id);
  if (message) {
    const errors = document.createElement("ul");
    errors.className = "field-errors";
    errors.id = id;
    const item = document.createElement("li");
    item.textContent = message;
    errors.append(item);
    field.append(errors);
    others.push(id);
    input.setAttribute("aria-invalid", "true");
  } else {
    input.removeAttribute("aria-invalid");
  }
  if (others.length) input.setAttribute("aria-describedby", others.join(" "));
  else input.removeAttribute("aria-describedby");
}

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
      text.dispatchEvent(new Event("input"));
      text.focus();
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
      counter.textContent = left < 40 ? `${left} characters left` : `Up to ${limit} characters.`;
    };
    input.addEventListener("input", update);
    update();
  }
}

fillTimeZone();
stampOnSubmit();
suggestionChips();
characterCounts();

/** Whether pages keep changes on this device first: a signed-in person with a local store. */
export const offlineFirst = Boolean(startApp());
// Today's script comes from here; the goal pages load goals.js themselves.
if (offlineFirst && document.getElementById("win-list")) {
  import("./today.js").then((today) => today.init());
}
