"""The translation catalogs as tests read them, and a pseudo-language made from them.

The pseudo-language turns every catalog text into accented letters wrapped in ⟦ ⟧
("Log a win" → "⟦Ŀóĝ á ŵíñ⟧"), placeholders and markup kept, so a page rendered in it
shows plain ASCII letters only where a word escaped the catalog. It borrows Greek's CLDR
data (code "el"), so dates and month names Babel writes are not in Latin letters either.
"""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "smallsteps" / "translations"
DOMAINS = ("messages", "js")
PSEUDO = "el"
# What a catalog text keeps as it is: %(name)s and %d placeholders, {name} ones, tags, entities.
KEPT = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|<[^>]*>|&\w+;|&#\d+;")
ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "áƀçďéƒĝĥíĵķĺṁñóþʠŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞɊŔŠŢÚṼŴẊÝŽ",
        strict=True,
    )
)


def read(path: Path) -> Catalog:
    """Return a .po or .pot file's catalog."""
    with path.open("rb") as file:
        return read_po(file)


def shipped_catalogs() -> list[Path]:
    """Return every shipped language's .po files."""
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))


def accent(text: str) -> str:
    """Return text with every letter outside placeholders and markup accented, in ⟦ ⟧."""
    pieces, last = [], 0
    for kept in KEPT.finditer(text):
        pieces.append(text[last : kept.start()].translate(str.maketrans(ACCENTED)))
        pieces.append(kept.group())
        last = kept.end()
    pieces.append(text[last:].translate(str.maketrans(ACCENTED)))
    return "⟦" + "".join(pieces) + "⟧"


def build_pseudo(folder: Path) -> Path:
    """Write the pseudo-language's compiled catalogs under `folder` and return it."""
    for domain in DOMAINS:
        template = read(TRANSLATIONS / f"{domain}.pot")
        pseudo = Catalog(locale=PSEUDO, domain=domain)
        for message in template:
            if not message.id:
                continue
            if isinstance(message.id, tuple | list):
                forms = tuple(accent(message.id[min(i, 1)]) for i in range(pseudo.num_plurals))
                pseudo.add(message.id, forms, context=message.context)
            else:
                pseudo.add(message.id, accent(message.id), context=message.context)
        target = folder / PSEUDO / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with (target / f"{domain}.mo").open("wb") as file:
            write_mo(file, pseudo)
    return folder


def extract(domain: str, output: Path) -> Catalog:
    """Extract the sources' texts now, the way `make translations` does, and return them."""
    config, keywords = {
        "messages": ("babel.cfg", ["-k", "_l", "-k", "N_"]),
        "js": ("babel-js.cfg", ["-k", "t", "-k", "nt:1,2"]),
    }[domain]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            config,
            *keywords,
            "-o",
            str(output),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    return read(output)
