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

function fillTimeZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const input of document.querySelectorAll('input[data-fill="timezone"]')) {
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

// Offline-first pages, for a signed-in person on a browser with a local store.
if (startApp()) {
  if (document.getElementById("win-list")) import("./today.js").then((today) => today.init());
  if (document.querySelector("form[action$='/goals'], form[action$='/steps']")) {
    import("./goals.js").then((goals) => goals.init());
  }
}
