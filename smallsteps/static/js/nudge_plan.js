// The nudges page: one control that turns nudges on for this device and the plan together
// (or off), and the plan form, whose "Save plan" lands on this device first and syncs with
// `PUT /api/v1/nudges` (writes.js). The nudges page's template loads this module.
import { json, send } from "./api.js";
import { t } from "./i18n.js";
import { subscribe, supported } from "./nudges.js";
import * as writes from "./writes.js";

function onIos() {
  const touchMac = navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1;
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || touchMac;
}

function onHomeScreen() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

async function registration() {
  const existing = await navigator.serviceWorker.getRegistration("/");
  if (!existing) await navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" });
  return navigator.serviceWorker.ready;
}

/** Turn nudges on for this device, after the person tapped; say how it went. */
async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission;
  await subscribe(await registration());
  const plan = await json("/api/v1/nudges");
  if (!plan.enabled) await send("PUT", "/api/v1/nudges", { enabled: true });
  return "on";
}

/** Tell whether this device already gets nudges: allowed, and subscribed. */
async function thisDeviceSubscribed() {
  if (Notification.permission !== "granted") return false;
  const worker = await navigator.serviceWorker.getRegistration("/");
  return Boolean(worker && (await worker.pushManager.getSubscription()));
}

/** The nudges page's one control: on for this device and the plan together, or off. */
async function setUpNudgesPage() {
  const box = document.querySelector("[data-push-device]");
  if (!box) return;
  const part = (name) => box.querySelector(`[data-push-${name}]`);
  const form = part("switch");
  const button = part("enable");
  const status = part("status");
  const planOn = box.dataset.planOn === "true";
  const here = supported() && (await thisDeviceSubscribed().catch(() => false));
  // Off is one tap wherever the plan is on; on needs a device that can take nudges.
  const offering = planOn && (here || !supported()) ? "off" : "on";
  // Translators: {when} is the plan's days and times, like "every day at 20:00".
  if (planOn && here) status.textContent = t("Nudges are on for this device, {when}.", { when: box.dataset.when });
  if (offering === "on") {
    form.elements.on.value = "1";
    button.textContent = t("Turn on nudges on this device");
    button.classList.add("primary");
  }
  if (offering === "on" && onIos() && !onHomeScreen()) {
    form.hidden = true;
    part("ios").hidden = false;
    return;
  }
  if (offering === "on" && !supported()) {
    form.hidden = true;
    part("unsupported").hidden = false;
    return;
  }
  if (offering === "on" && Notification.permission === "denied") part("blocked").hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (offering === "off") {
      return writes.put(form, {
        url: () => "/api/v1/nudges",
        body: () => ({ enabled: false }),
        sent: () => t("Nudges are off."),
        shown: () => t("Nudges are off on this device's copy; the server hears it once you're back online."),
      });
    }
    button.disabled = true;
    status.textContent = t("Asking your browser…");
    try {
      const result = await turnOn();
      if (result === "on") {
        status.textContent = t("Nudges will reach this device.");
        location.reload();
        return undefined;
      }
      if (result === "denied") part("blocked").hidden = false;
      status.textContent = t("No nudges for now. Tap again whenever you like.");
    } catch {
      status.textContent = t("Nudges couldn't be turned on just now. Please try again in a moment.");
    } finally {
      button.disabled = false;
    }
    return undefined;
  });
}


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
    weekly: elements.weekly_on.checked
      ? { weekday: Number(elements.weekly_day.value), time: elements.weekly_time.value.trim().slice(0, 5) }
      : null,
  };
}

const form = document.querySelector("form[action$='/settings/nudges']");
if (form) {
  const sent = () => (form.elements.enabled.checked ? t("Nudge plan saved.") : t("Nudges are off."));
  writes.takeOver(form, { url: () => "/api/v1/nudges", body: planOf, sent });
}

setUpNudgesPage().catch(() => undefined);
