import re

import pytest

PATTERN = "done(?s)"


def test_untouched(out, other):
    # Already valid: flags at the start, scoped flags, escaped or in a class or comment.
    assert re.search("(?i)(?s)begin.+end", out)
    assert re.search("begin(?i:.+)end", out)
    assert re.search(r"begin\(?i)", out)
    assert re.search("begin[(?i)]", out)
    assert re.search("begin(?#(?i))end", out)
    assert re.search("  (?i)begin # (?s)\n", out, re.VERBOSE)
    # Not a literal: what it holds is not known here.
    assert re.search(PATTERN, out)
    assert re.search(f"{other}(?s)", out)
    # Not the re module.
    assert other.search("done(?s)", out)
    assert "x(?i)" in out
    # Removing the group would change the pattern.
    assert re.search(r"(a)\1(?i)0", out)
    assert re.search(r"a(?i)+", out) is None or True
