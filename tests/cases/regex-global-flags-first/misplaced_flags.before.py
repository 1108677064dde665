import re
import re as regex
from re import compile as compile_pattern, search

import pytest

BANNER = re.compile("^server started(?m)")


def test_log(capsys):
    out = capsys.readouterr().out
    assert re.search(r"begin.+end(?s)", out)
    assert search("ready(?i)", out)
    assert regex.match(b"HELLO(?i)", b"hello")
    assert re.fullmatch(pattern="a.b(?s)(?i)", string="A\nB")
    assert re.findall('\\d+ items(?i)\n', out, re.MULTILINE)
    assert re.sub("x(?i)", "y", out, 0, re.M) is not None
    assert compile_pattern(
        """
        (\\w+)   # a word
        (?x)     # verbose, for the whole pattern
        """
    ).match("word")
    with pytest.raises(AssertionError):
        assert re.search("(?i)done.(?s)", out)
