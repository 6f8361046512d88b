// Small helpers for the page: making elements, telling the person what happened, a field's
// error, and the device's wall time for a form.

/** Return a new element with a class and text, either of which may be left out. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Return an element holding a person's own words, in the direction of what they wrote. */
export function ownElement(tag, className, words) {
  const node = element(tag, className, words);
  node.dir = "auto";
  return node;
}

// Stands in for a person's words while the sentence around them is made (a private-use
// character, never in a catalog's text).
const STAND_IN = "\uE000";

/**
 * Return a sentence with a person's own words set apart in <bdi>, so that English in an
 * Arabic sentence (or Arabic in an English one) keeps its own direction and the sentence's
 * punctuation stays where the sentence puts it: ownWords((text) => t("Deleted “{text}”.",
 * { text }), win.data.text).
 */
export function ownWords(say, words) {
  const sentence = document.createDocumentFragment();
  say(STAND_IN)
    .split(STAND_IN)
    .forEach((part, index) => {
      if (index) sentence.append(element("bdi", "", words));
      if (part) sentence.append(part);
    });
  return sentence;
}

/** Say something (words or a sentence from ownWords) at the top of the page, in place of what
 * was said before, maybe with an action. */
export function flash(message, category = "info", action = null) {
  document.querySelectorAll("main > .flash").forEach((old) => old.remove());
  const note = element("p", `flash flash-${category}`);
  note.append(message);
  note.setAttribute("role", "status");
  if (action) note.append(" ", action);
  document.getElementById("main").prepend(note);
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
    const errors = element("ul", "field-errors");
    errors.id = id;
    errors.append(element("li", "", message));
    field.append(errors);
    others.push(id);
    input.setAttribute("aria-invalid", "true");
  } else {
    input.removeAttribute("aria-invalid");
  }
  if (others.length) input.setAttribute("aria-describedby", others.join(" "));
  else input.removeAttribute("aria-describedby");
}

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
