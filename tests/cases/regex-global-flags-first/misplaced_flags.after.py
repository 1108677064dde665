import re
import re as regex
from re import compile as compile_pattern, search

import pytest

BANNER = re.compile("(?m)^server started")


def test_log(capsys):
    out = capsys.readouterr().out
    assert re.search(r"(?s)begin.+end", out)
    assert search("(?i)ready", out)
    assert regex.match(b"(?i)HELLO", b"hello")
    assert re.fullmatch(pattern="(?si)a.b", string="A\nB")
    assert re.findall('(?i)\\d+ items\n', out, re.MULTILINE)
    assert re.sub("(?i)x", "y", out, 0, re.M) is not None
    assert compile_pattern(
        """(?x)
        (\\w+)   # a word
             # verbose, for the whole pattern
        """
    ).match("word")
    with pytest.raises(AssertionError):
        assert re.search("(?is)done.", out)
