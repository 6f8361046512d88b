// Sharing: copy a new link with one tap, and say plainly that making or ending a share
// needs a connection (the list itself shows from this device's kept copy when offline).
import { flash } from "./dom.js";
import { t } from "./i18n.js";

for (const button of document.querySelectorAll("[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const news = document.getElementById("copy-news");
  if (!navigator.clipboard || !field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      news.textContent = t("Copied.");
    } catch {
      field.select();
      news.textContent = t("Select the link and copy it.");
    }
  });
}

for (const form of document.querySelectorAll("form[data-needs-connection]")) {
  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    flash(t("Making or ending a share needs a connection. Nothing changed; try again once you're online."));
  });
}
