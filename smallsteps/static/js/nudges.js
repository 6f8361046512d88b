// Gentle nudges on every page: the subscription sent again on every app open so the server
// always has the current one, and the log form ready when a nudge opened the app. The
// one-tap low-capacity day lands on this device first and syncs with its PUT (writes.js).
// The nudges page's own side (turning them on or off, the plan) is nudge_plan.js; the
// worker's is sw-nudges.js.
import { send } from "./api.js";
import { element } from "./dom.js";
import { t } from "./i18n.js";
import "./shared.js";
import * as writes from "./writes.js";

const { SUBSCRIPTIONS, serverKey } = self.smallSteps.nudges;

export function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function signedIn() {
  return Boolean(document.querySelector(".site-nav"));
}

function sameBytes(buffer, bytes) {
  if (!buffer) return false;
  const view = new Uint8Array(buffer);
  return view.length === bytes.length && view.every((value, index) => value === bytes[index]);
}

/** Subscribe this device with the server's key (again if the key changed) and send it. */
export async function subscribe(worker) {
  const key = await serverKey();
  let subscription = await worker.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ||= await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await send("POST", SUBSCRIPTIONS, subscription.toJSON());
  return subscription;
}

/** Send the current subscription again, as every app open does. */
async function refresh() {
  if (!supported() || !signedIn() || Notification.permission !== "granted") return;
  const worker = await navigator.serviceWorker.getRegistration("/");
  if (!worker || !(await worker.pushManager.getSubscription())) return;
  await subscribe(worker);
}

/** Opened from a nudge (?log=1): put the cursor in the log field, ready to type. */
function focusLogForm() {
  const params = new URLSearchParams(location.search);
  if (!params.has("log")) return;
  const field = document.querySelector("#log-form input[name=text]");
  // Scrolling to #log-form after load moves focus to the page, so focus once that is done.
  const focus = () => setTimeout(() => field?.focus(), 0);
  if (document.readyState === "complete") focus();
  else window.addEventListener("load", focus, { once: true });
  params.delete("log");
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
}

const dayUrl = (form) => `/api/v1/days/${form.dataset.day}`;
const isOn = (form) => form.elements.on.value === "1";

/** Show the low-capacity day as this device has it (the smallest steps come with the server's page). */
function showLowCapacity(like, on) {
  const box = document.getElementById("low-capacity");
  if (on === Boolean(box)) return;
  const form = like.cloneNode(true);
  form.elements.on.value = on ? "0" : "1";
  form.className = on ? "" : "low-capacity-toggle";
  const button = form.querySelector("button");
  button.className = on ? "link-button" : "button";
  button.textContent = on ? t("Back to a usual day") : t("Low-capacity day");
  form.querySelector(".hint")?.remove();
  takeOverLowCapacity(form);
  document.querySelector("form.low-capacity-toggle")?.remove();
  box?.remove();
  if (!on) return document.getElementById("log-news")?.after(form);
  const gentle = Object.assign(element("div", "gentle-day"), { id: "low-capacity" });
  gentle.setAttribute("role", "region");
  gentle.setAttribute("aria-labelledby", "gentle-title");
  const title = Object.assign(element("h2", "", t("A low-capacity day")), { id: "gentle-title" });
  const hint = t("Nudges are quiet today. The smallest version of a step counts as doing it.");
  gentle.append(title, element("p", "hint", hint), form);
  document.getElementById("log-form")?.before(gentle);
}

function takeOverLowCapacity(form) {
  writes.takeOver(form, {
    url: dayUrl,
    body: (it) => ({ low_capacity: isOn(it) }),
    sent: (it) =>
      isOn(it)
        ? t("A gentle day. Nudges are quiet today, and your smallest steps come first.")
        : t("Back to your usual day."),
    shown: (it) => {
      showLowCapacity(it, isOn(it));
      return isOn(it)
        ? t("A gentle day, kept on this device. Nudges will quiet down once it syncs.")
        : t("Back to your usual day. It syncs when you're back online.");
    },
  });
}

/** Take over Today's low-capacity buttons, and show a day that waits to sync. */
async function lowCapacity() {
  const forms = document.querySelectorAll("form[data-offline=low-capacity]");
  forms.forEach(takeOverLowCapacity);
  const waiting = forms.length ? await writes.waiting() : new Map();
  if (waiting.has(dayUrl(forms[0]))) showLowCapacity(forms[0], waiting.get(dayUrl(forms[0])).low_capacity);
}

/** Start nudges on this page: the log form opened from one, the nudges page, the subscription. */
export function init() {
  focusLogForm();
  lowCapacity().catch(() => undefined);
  refresh().catch(() => undefined);
}
