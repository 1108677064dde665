"""The feed format: one ``<id>\t<title>`` entry a line; ``#`` starts a comment."""

from typing import List, NamedTuple


class Entry(NamedTuple):
    feed: str
    id: str
    title: str


def parse_feed(feed: str, body: bytes) -> List[Entry]:
    entries = []
    for line in body.decode("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry_id, _, title = line.partition("\t")
        entries.append(Entry(feed, entry_id, title.strip()))
    return entries
