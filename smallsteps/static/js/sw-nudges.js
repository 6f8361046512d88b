// Gentle nudges in the service worker (a classic script that /sw.js imports after
// shared.js): every push shows a notification, a tap opens the log form, and a renewed
// subscription is sent again. The page's side is nudges.js.
/* global SHELL */
(() => {
  const { send } = self.smallSteps.api;
  const { SUBSCRIPTIONS, serverKey } = self.smallSteps.nudges;
  const LOG_FORM = "/?log=1#log-form";
  const DEFAULTS = { title: "Small Steps", body: "What's one small win from today?" };

  /** Return a path on this app's origin for a URL from the payload, or the log form. */
  function inApp(url) {
    try {
      const parsed = new URL(url, self.location.origin);
      return new URL(parsed.pathname + parsed.search + parsed.hash, self.location.origin).href;
    } catch {
      return new URL(LOG_FORM, self.location.origin).href;
    }
  }

  /** Read a push payload: ours and Safari's Declarative Web Push share `notification`. */
  function readNudge(data) {
    let message = {};
    try {
      message = data ? data.json() : {};
    } catch {
      message = {};
    }
    const note = (message && typeof message.notification === "object" && message.notification) || {};
    const text = (value, fallback) => (typeof value === "string" && value.trim() ? value : fallback);
    return {
      title: text(note.title, DEFAULTS.title),
      body: text(note.body, DEFAULTS.body),
      navigate: inApp(typeof note.navigate === "string" ? note.navigate : LOG_FORM),
    };
  }

  /** Show a nudge; a newer one replaces an older one still on screen (same tag). */
  function showNudge(nudge) {
    return self.registration.showNotification(nudge.title, {
      body: nudge.body,
      icon: `${SHELL.static}icons/icon-192.png`,
      badge: `${SHELL.static}icons/badge-96.png`,
      tag: "nudge",
      renotify: false,
      lang: "en",
      dir: "ltr",
      data: { navigate: nudge.navigate },
      actions: [
        { action: "log", title: "Log a win" },
        { action: "not-today", title: "Not today" },
      ],
    });
  }

  /** Bring the app to the log form: reuse an open window, or open one. */
  async function openLogForm(notification, action) {
    notification.close();
    // "Not today" is an answer too; rest is part of it. Nothing opens.
    if (action === "not-today") return null;
    const target = inApp((notification.data && notification.data.navigate) || LOG_FORM);
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin !== self.location.origin) continue;
      try {
        const moved = (await client.navigate(target)) || client;
        await moved.focus().catch(() => undefined);
        return moved;
      } catch {
        // A window this worker does not control cannot be navigated; open a new one.
      }
    }
    return self.clients.openWindow(target);
  }

  /** The browser renewed or dropped the subscription: subscribe again and tell the server. */
  async function resubscribe(event) {
    const old = event.oldSubscription;
    let fresh = event.newSubscription;
    if (!fresh) {
      const key = (old && old.options && old.options.applicationServerKey) || (await serverKey());
      fresh = await self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key,
      });
    }
    await send("POST", SUBSCRIPTIONS, fresh.toJSON());
    if (old && old.endpoint !== fresh.endpoint) {
      await send("DELETE", SUBSCRIPTIONS, { endpoint: old.endpoint });
    }
  }

  self.addEventListener("push", (event) => {
    event.waitUntil(showNudge(readNudge(event.data)));
  });

  self.addEventListener("notificationclick", (event) => {
    event.waitUntil(openLogForm(event.notification, event.action));
  });

  self.addEventListener("pushsubscriptionchange", (event) => {
    // Signed out or offline: the next app open sends the subscription anyway.
    event.waitUntil(resubscribe(event).catch(() => undefined));
  });

  self.smallStepsNudges = { readNudge, showNudge, openLogForm };
})();
