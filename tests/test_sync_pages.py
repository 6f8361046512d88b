"""The pull comes in pages: at most 1,000 records an answer, `more` until nothing waits."""

from tests.test_sync import goal, new_id, stamp, statuses, sync, win


def pull_all(person, since=None) -> tuple[list[list[dict]], str]:
    """Pull page by page as a device does; return the pages and the last cursor."""
    pages = []
    while True:
        answer = sync(person, since=since)
        pages.append(answer["changes"])
        since = answer["cursor"]
        if not answer["more"]:
            return pages, since


def test_2500_records_come_back_in_three_pages_with_nothing_missed_or_doubled(person):
    sent = [new_id() for _ in range(2500)]
    for start in range(0, 2500, 500):
        batch = [win(win_id, text=f"Win {n}") for n, win_id in enumerate(sent[start : start + 500])]
        assert set(statuses(sync(person, batch))) == {"applied"}

    pages, cursor = pull_all(person)

    assert [len(page) for page in pages] == [1000, 1000, 500]
    pulled = [change["id"] for page in pages for change in page]
    assert sorted(pulled) == sorted(sent)
    assert len(set(pulled)) == 2500
    assert sync(person, since=cursor) == {
        "results": [],
        "changes": [],
        "cursor": cursor,
        "more": False,
    }


def test_a_change_made_between_pages_is_pulled_once(person):
    first = [win(text=f"Win {n}") for n in range(500)]
    for start in (0, 500, 1000):
        more = [win(text=f"Win {start + n}") for n in range(500)] if start else first
        sync(person, more)
    answer = sync(person)
    assert answer["more"] is True and len(answer["changes"]) == 1000

    # Another device edits a record the device already has, and adds one, between pages.
    edited = {**first[0], "updated_at": stamp(minutes=90)}
    edited["data"] = {**first[0]["data"], "text": "Edited between pages"}
    added = goal(title="Added between pages")
    sync(person, [edited, added])
    pages, _ = pull_all(person, since=answer["cursor"])

    rest = [change for page in pages for change in page]
    ids = [change["id"] for change in rest]
    assert len(ids) == len(set(ids)) == 502
    assert {first[0]["id"], added["id"]} <= set(ids)
    texts = [change["data"]["text"] for change in rest if change["id"] == first[0]["id"]]
    assert texts == ["Edited between pages"]


def test_a_small_pull_says_nothing_more_waits(person):
    answer = sync(person, [win()])

    assert answer["more"] is False and len(answer["changes"]) == 1
