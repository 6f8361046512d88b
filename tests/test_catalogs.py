"""Every shipped catalog is whole: each text translated, none fuzzy, placeholders kept.

And the catalogs' templates (.pot) hold every text the sources mark today, so a new
English sentence cannot ship untranslated: `make translations` brings it in.
"""

import re

import pytest
from babel import Locale

from tests.catalogs import DOMAINS, TRANSLATIONS, extract, read, shipped_catalogs

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def placeholders(text: str) -> list[str]:
    """Return a text's placeholders and tag names, sorted, to compare a translation's."""
    return sorted(PLACEHOLDER.findall(text) + TAG.findall(text))


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalog_templates_hold_every_text_the_sources_mark(domain, tmp_path):
    now = {message.id for message in extract(domain, tmp_path / f"{domain}.pot") if message.id}
    kept = {message.id for message in read(TRANSLATIONS / f"{domain}.pot") if message.id}
    assert now - kept == set(), "new texts: run `make translations` and translate them"
    assert kept - now == set(), "texts no source uses any more: run `make translations`"


def test_every_shipped_language_has_both_catalogs():
    languages = {path.parents[1].name for path in shipped_catalogs()}
    assert {"es", "de", "fr", "ar"} <= languages
    for language in languages:
        for domain in DOMAINS:
            assert (TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po").is_file()


@pytest.mark.parametrize(
    "path", shipped_catalogs(), ids=lambda path: f"{path.parents[1].name}/{path.stem}"
)
def test_a_shipped_catalog_translates_every_text_and_keeps_its_placeholders(path):
    template = read(TRANSLATIONS / f"{path.stem}.pot")
    catalog = read(path)
    forms = Locale.parse(path.parents[1].name).plural_form.tags
    problems = []
    for source in template:
        if not source.id:
            continue
        message = catalog.get(source.id, source.context)
        key = source.id[0] if isinstance(source.id, tuple | list) else source.id
        if message is None:
            problems.append(f"missing: {key!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if not all(strings):
            problems.append(f"untranslated: {key!r}")
            continue
        if isinstance(source.id, tuple | list):
            assert len(strings) == catalog.num_plurals, key
            # The singular's placeholders may drop the count ("one win" → "un triunfo").
            wanted = placeholders(source.id[1])
            for form in strings:
                if sorted(set(placeholders(form)) - set(wanted)):
                    problems.append(f"placeholders changed in {key!r}: {form!r}")
        elif placeholders(message.string) != placeholders(source.id):
            problems.append(f"placeholders changed in {key!r}: {message.string!r}")
    assert forms  # the language's plural categories are known to CLDR
    assert not problems, "\n".join(problems)
