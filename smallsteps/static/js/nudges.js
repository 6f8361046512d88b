// Gentle nudges on this device: turned on only after a tap, the subscription sent again on
// every app open so the server always has the current one, and the log form ready when a
// nudge opened the app. The service worker's side is sw-nudges.js.
import { json, send } from "./api.js";
import "./shared.js";

const { SUBSCRIPTIONS, serverKey } = self.smallSteps.nudges;

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function onIos() {
  const touchMac = navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1;
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || touchMac;
}

function onHomeScreen() {
  return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

function signedIn() {
  return Boolean(document.querySelector(".site-nav"));
}

function sameBytes(buffer, bytes) {
  if (!buffer) return false;
  const view = new Uint8Array(buffer);
  return view.length === bytes.length && view.every((value, index) => value === bytes[index]);
}

async function registration() {
  const existing = await navigator.serviceWorker.getRegistration("/");
  if (!existing) await navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" });
  return navigator.serviceWorker.ready;
}

/** Subscribe this device with the server's key (again if the key changed) and send it. */
async function subscribe(worker) {
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

/** Turn nudges on for this device, after the person tapped; say how it went. */
async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission;
  await subscribe(await registration());
  const plan = await json("/api/v1/nudges");
  if (!plan.enabled) await send("PUT", "/api/v1/nudges", { enabled: true });
  return "on";
}

/** Send the current subscription again, as every app open does. */
async function refresh() {
  if (!supported() || !signedIn() || Notification.permission !== "granted") return;
  const worker = await navigator.serviceWorker.getRegistration("/");
  if (!worker || !(await worker.pushManager.getSubscription())) return;
  await subscribe(worker);
}

function setUpNudgesPage() {
  const box = document.querySelector("[data-push-device]");
  if (!box) return;
  const part = (name) => box.querySelector(`[data-push-${name}]`);
  if (onIos() && !onHomeScreen()) {
    part("ios").hidden = false;
    return;
  }
  if (!supported()) {
    part("unsupported").hidden = false;
    return;
  }
  const button = part("enable");
  const status = part("status");
  button.hidden = false;
  if (Notification.permission === "denied") part("blocked").hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Asking your browser…";
    try {
      const result = await turnOn();
      if (result === "on") {
        status.textContent = "Nudges will reach this device.";
        location.reload();
        return;
      }
      if (result === "denied") part("blocked").hidden = false;
      status.textContent = "No nudges for now. Tap again whenever you like.";
    } catch {
      status.textContent = "Nudges couldn't be turned on just now. Please try again in a moment.";
    } finally {
      button.disabled = false;
    }
  });
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

/** Start nudges on this page: the log form opened from one, the nudges page, the subscription. */
export function init() {
  focusLogForm();
  setUpNudgesPage();
  refresh().catch(() => undefined);
}
