// The server's API as pages call it: JSON in and out, a fresh CSRF token for each write, and
// SignedOut on a 401. One copy, in shared.js, which the service worker uses too.
import "./shared.js";

export const { SignedOut, json, csrfToken, send } = self.smallSteps.api;
