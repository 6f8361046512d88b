// The settings page's time-zone list, made searchable: typing a place narrows the grouped
// list to the zones that match. Without this module the grouped list works on its own.

import { element } from "./dom.js";
import { nt, t } from "./i18n.js";

/** Return text lowered and without accents or separators, so "sao paulo" finds "São Paulo". */
function folded(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[/_]/g, " ").toLowerCase();
}

/** Show only the options that match the words typed, keeping the chosen zone in view. */
function narrow(select, words) {
  const wanted = folded(words).split(/\s+/).filter(Boolean);
  let found = 0;
  for (const group of select.querySelectorAll("optgroup")) {
    let shown = 0;
    for (const option of group.querySelectorAll("option")) {
      const said = folded(`${group.label} ${option.textContent} ${option.value}`);
      const match = wanted.every((word) => said.includes(word));
      option.hidden = !(match || option.selected);
      shown += option.hidden ? 0 : 1;
      found += match ? 1 : 0;
    }
    group.hidden = shown === 0;
  }
  return found;
}

/** Put a search box above the time-zone list, if the page has one. */
export function enhance(select) {
  if (!select) return;
  const id = `${select.id}-search`;
  const box = element("div", "time-zone-search");
  const label = element("label", null, t("Find your place"));
  label.htmlFor = id;
  const input = element("input");
  Object.assign(input, { type: "text", id, autocomplete: "off", spellcheck: false });
  Object.assign(input, { inputMode: "search", enterKeyHint: "search" });
  input.setAttribute("aria-controls", select.id);
  const count = element("p", "hint");
  count.id = `${id}-count`;
  count.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", count.id);
  input.addEventListener("input", () => {
    const found = narrow(select, input.value);
    const said =
      found === 0
        ? t("No match yet. Try the nearest big city.")
        : found === 1
          ? t("1 zone matches. Choose it below.")
          : nt("{count} zone matches.", "{count} zones match.", found);
    count.textContent = input.value.trim() ? said : "";
  });
  box.append(label, input, count);
  select.before(box);
}

enhance(document.getElementById("timezone"));
