from feedpoll import Entry, parse_feed


def test_entries_and_comments():
    body = b"# header\n7\tHello\n\n8\tWorld  \n"
    assert parse_feed("f", body) == [Entry("f", "7", "Hello"), Entry("f", "8", "World")]


def test_entry_without_title():
    assert parse_feed("f", b"9\n") == [Entry("f", "9", "")]
