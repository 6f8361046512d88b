"""axe-core, put into a page only by the tests, never served by the app.

`make test` installs npm's axe-core (pinned in package.json and package-lock.json) into
node_modules/. The app's CSP refuses inline scripts, and Playwright's add_script_tag adds
one, so the source is evaluated through DevTools instead (page.evaluate), which CSP does
not govern: the page keeps its real policy while axe looks at it.
"""

import shutil
from functools import cache
from pathlib import Path

from tests.conftest import skip_unless_ci

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.0–2.2 A and AA rule (colour contrast at AA among them) and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def axe_source() -> str:
    """Return axe-core's source, or skip when it is not installed."""
    if not AXE.is_file():
        reason = "npm is missing" if shutil.which("npm") is None else "run `make test`"
        skip_unless_ci(f"accessibility tests skipped: no axe-core at {AXE} ({reason})")
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """Run axe on the page as it is now and describe each violation in a line."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]})
            .then((result) => result.violations)""",
        TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(
            f"{node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
            for node in violation["nodes"][:5]
        )
        for violation in found
    ]


def check_both_schemes(found: dict[str, list[str]]):
    """Return a walk's `visit` that runs axe in light and dark, keeping findings in `found`."""

    def check(page, name):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            problems = violations(page)
            if problems:
                found[f"{name} ({scheme})"] = problems
        page.emulate_media(color_scheme="light")

    return check


def report(found: dict[str, list[str]]) -> str:
    """Return axe's findings, a line each, or "" when there are none."""
    return "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )
