"""Merge rules for sync: the last writer wins by updated_at, and tombstones stay down."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What became of one change a device sent."""

    APPLIED = "applied"
    UNCHANGED = "unchanged"
    STALE = "stale"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Version:
    """One version of a record: when it was written, whether deleted, and its fields."""

    updated_at: datetime
    deleted: bool
    content: tuple[Any, ...]


def decide(current: Version | None, incoming: Version) -> Outcome:
    """Return whether an incoming version replaces the stored one.

    The later `updated_at` wins, so an edit older than a delete finds the tombstone
    newer and is stale. Sending the same version again changes nothing. Two different
    versions written at the same instant are ordered the same way everywhere: the
    tombstone first, then by their fields, so every device ends up agreeing.
    """
    if current is None or incoming.updated_at > current.updated_at:
        return Outcome.APPLIED
    if incoming.updated_at < current.updated_at:
        return Outcome.STALE
    if (incoming.deleted, incoming.content) == (current.deleted, current.content):
        return Outcome.UNCHANGED
    return Outcome.APPLIED if _rank(incoming) > _rank(current) else Outcome.STALE


def _rank(version: Version) -> tuple[bool, str]:
    return version.deleted, repr(version.content)


def parents_first(links: Sequence[tuple[Hashable, Hashable | None]]) -> list[int]:
    """Return positions of (id, parent id) pairs so a parent in the list comes first.

    Order is otherwise kept. A loop of parents is left in some order; none of it can
    resolve, since each record's parent must exist before it.
    """
    position = {record_id: index for index, (record_id, _) in reversed(list(enumerate(links)))}
    order: list[int] = []
    placed: set[int] = set()
    for start in range(len(links)):
        chain: list[int] = []
        index: int | None = start
        while index is not None and index not in placed and index not in chain:
            chain.append(index)
            parent = links[index][1]
            index = position.get(parent) if parent is not None else None
        for index in reversed(chain):
            placed.add(index)
            order.append(index)
    return order
