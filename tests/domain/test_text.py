import pytest

from smallsteps.domain.text import renderable, unstorable, unstorable_path


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Paused before reacting", False),
        ("Café, 日本, 😀, \t and a new\nline", False),
        ("\ufdcf \ufdf0 \ufffd \U0001f600", False),
        ("bad\x00byte", True),
        ("\ud800", True),
        ("\udfff", True),
        ("\ufdd0", True),
        ("\ufdef", True),
        ("\ufffe", True),
        ("\uffff", True),
        ("\U0001fffe", True),
        ("\U0010ffff", True),
    ],
)
def test_only_what_no_database_keeps_is_refused(text, refused):
    assert unstorable(text) is refused


def test_what_is_shown_again_marks_each_bad_character_and_encodes():
    shown = renderable("a\x00b\ud800c\uffffd")

    assert shown == "a\ufffdb\ufffdc\ufffdd"
    assert shown.encode("utf-8")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"display_name": "River", "grace": 2, "show_streak": True, "x": None}, None),
        ({"display_name": "Riv\x00er"}, "display_name"),
        ({"keys": {"p256dh": "ok", "auth": "\uffff"}}, "keys.auth"),
        ({"times": ["08:30", "\ud800"]}, "times[1]"),
        ({"ok": [{"a": 1}, {"b\x00": 1}]}, "ok[1].b\ufffd"),
        ({"first": "\x00", "second": "\x00"}, "first"),
        ("\x00", "body"),
    ],
)
def test_the_first_bad_text_in_json_is_found_by_its_path(body, where):
    assert unstorable_path(body) == where


def test_a_body_nested_as_deep_as_the_parser_goes_is_walked_without_overflow():
    body: list = ["\x00"]
    for _ in range(5000):
        body = [body]

    assert unstorable_path({"deep": body}) == "deep" + "[0]" * 5001
