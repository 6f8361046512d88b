// Gentle nudges in the service worker (a classic script that /sw.js imports after
// shared.js): every push shows a notification, a tap opens the log form, and a renewed
// subscription is sent again. The page's side is nudges.js.
// A nudge speaks its payload's language (`notification.lang`, with the server's own title,
// body and action titles when it sends them), else the browser's nearest with a catalog
// (sw.js `speaking`), else English.
/* global SHELL */
(() => {
  const { send } = self.smallSteps.api;
  const { SUBSCRIPTIONS, serverKey } = self.smallSteps.nudges;
  const { speaker } = self.smallSteps.words;
  const SOURCE_LANGUAGE = "en";
  const LOG_FORM = "/?log=1#log-form";
  const TITLE = "Small Steps"; // the name, the same in every language
  const text = (value, fallback) => (typeof value === "string" && value.trim() ? value : fallback);

  /** Return what a nudge says where its payload says nothing, in the words' language. */
  function defaults({ t }) {
    return {
      title: TITLE,
      // Translators: a nudge's words when the server sent none: gentle, never pushy.
      body: t("What's one small win from today?"),
      actions: {
        // Translators: a button on a nudge notification; it opens the log form.
        log: t("Log a win"),
        // Translators: a button on a nudge notification; an answer too, with nothing to do.
        "not-today": t("Not today"),
      },
    };
  }

  /** Return a path on this app's origin for a URL from the payload, or the log form. */
  function inApp(url) {
    try {
      const parsed = new URL(url, self.location.origin);
      return new URL(parsed.pathname + parsed.search + parsed.hash, self.location.origin).href;
    } catch {
      return new URL(LOG_FORM, self.location.origin).href;
    }
  }

  /** Return a push payload's message, {} when it has none or it is not JSON. */
  function parse(data) {
    try {
      const message = data ? data.json() : {};
      return message && typeof message === "object" ? message : {};
    } catch {
      return {};
    }
  }

  /** Return a message's `notification`: ours and Safari's Declarative Web Push share it. */
  function noteOf(message) {
    return (message && typeof message.notification === "object" && message.notification) || {};
  }

  /** Return the language a message says its nudge is in, or null. */
  function languageOf(message) {
    return text(noteOf(message).lang, text(message && message.lang, null));
  }

  /**
   * Read a push's message (parsed) with words in its language: the payload's own title, body
   * and action titles (`notification.actions`, by action: "log", "not-today"), and the
   * words' for those it lacks.
   */
  function readNudge(message, words = speaker(SOURCE_LANGUAGE)) {
    const note = noteOf(message);
    const said = defaults(words);
    const sent = Array.isArray(note.actions) ? note.actions : [];
    const action = (name) =>
      text(sent.find((given) => given && given.action === name)?.title, said.actions[name]);
    const lang = languageOf(message) || words.lang;
    const dir = ["ltr", "rtl", "auto"].includes(note.dir) ? note.dir : self.smallSteps.direction(lang);
    return {
      title: text(note.title, said.title),
      body: text(note.body, said.body),
      navigate: inApp(typeof note.navigate === "string" ? note.navigate : LOG_FORM),
      lang,
      dir,
      actions: [
        { action: "log", title: action("log") },
        { action: "not-today", title: action("not-today") },
      ],
    };
  }

  /** Return words in the message's language, else the browser's; English if none can be read. */
  async function wordsFor(message) {
    try {
      return await self.smallSteps.speaking(languageOf(message));
    } catch {
      return speaker(SOURCE_LANGUAGE);
    }
  }

  /** Show a nudge; a newer one replaces an older one still on screen (same tag). */
  function showNudge(nudge) {
    return self.registration.showNotification(nudge.title, {
      body: nudge.body,
      icon: `${SHELL.static}icons/icon-192.png`,
      badge: `${SHELL.static}icons/badge-96.png`,
      tag: "nudge",
      renotify: false,
      lang: nudge.lang || SOURCE_LANGUAGE,
      dir: nudge.dir || "auto",
      data: { navigate: nudge.navigate },
      actions: nudge.actions,
    });
  }

  /** Show the nudge a push brought, in its language. */
  async function showPush(data) {
    const message = parse(data);
    return showNudge(readNudge(message, await wordsFor(message)));
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
    event.waitUntil(showPush(event.data));
  });

  self.addEventListener("notificationclick", (event) => {
    event.waitUntil(openLogForm(event.notification, event.action));
  });

  self.addEventListener("pushsubscriptionchange", (event) => {
    // Signed out or offline: the next app open sends the subscription anyway.
    event.waitUntil(resubscribe(event).catch(() => undefined));
  });

  self.smallStepsNudges = { readNudge, showNudge, showPush, openLogForm };
})();
