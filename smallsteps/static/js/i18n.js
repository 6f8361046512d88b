// The page's words in its language (<html lang>): t("Moved to {day}.", { day }) and
// nt("{count} win", "{count} wins", n) (shared.js). The catalog <html data-catalog> names
// (none for English) loads before any module importing this one runs; failing that, English.
import "./shared.js";

const root = document.documentElement;
let catalog = {};
try {
  const response = root.dataset.catalog && (await fetch(root.dataset.catalog));
  if (response?.ok) catalog = await response.json();
} catch {
  // offline before the service worker kept it: the source text, English
}

export const { lang, t, nt } = self.smallSteps.words.speaker(root.lang, catalog);
