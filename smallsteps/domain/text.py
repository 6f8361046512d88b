"""Text no database keeps as it was typed: NUL, lone surrogates and Unicode's non-characters."""

import json
import re
from typing import Any


def N_(message: str) -> str:
    """Mark a text for the catalog; the layer that shows it translates it (i18n)."""
    return message


# Translate it where it is shown: `_(UNSTORABLE)`.
UNSTORABLE = N_("This has a character that can't be saved. Could you retype it?")
REPLACEMENT = "\ufffd"
# NUL (PostgreSQL refuses it), lone surrogates (not UTF-8 at all), and the 66 non-characters:
# U+FDD0–U+FDEF and the last two code points of every plane.
_UNSTORABLE = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def unstorable(text: str) -> bool:
    """Tell whether the text has a character that can't be stored faithfully."""
    return _UNSTORABLE.search(text) is not None


def renderable(text: str) -> str:
    """Return the text with every such character replaced by U+FFFD, safe to show again."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


def unstorable_path(value: Any) -> str | None:
    """Return where in parsed JSON the first unstorable key or string is, like `keys.auth`."""
    if _clean_at_a_glance(value):
        return None
    # A loop, not recursion, so a body nested as deep as the parser goes can't overflow here;
    # each item carries its trail (parent trail, key or index), spelled out only when needed.
    pending: list[tuple[tuple | None, Any]] = [(None, value)]
    while pending:
        trail, item = pending.pop()
        if isinstance(item, str):
            if unstorable(item):
                return _spelled(trail)
        elif isinstance(item, dict):
            for key in item:
                if unstorable(key):
                    return _spelled((trail, renderable(key)))
            pending.extend(((trail, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            pending.extend(((trail, index), item[index]) for index in reversed(range(len(item))))
    return None


def _clean_at_a_glance(value: Any) -> bool:
    # Nearly every body is clean, and one pass in C tells (it writes NUL as \u0000);
    # walking item by item in Python takes many times as long.
    try:
        written = json.dumps(value, ensure_ascii=False)
    except (RecursionError, TypeError, ValueError):
        return False
    return "\\u0000" not in written and not unstorable(written)


def _spelled(trail: tuple | None) -> str:
    steps = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    path = ""
    for step in reversed(steps):
        path += f"[{step}]" if isinstance(step, int) else f".{step}" if path else step
    return path or "body"
