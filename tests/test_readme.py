"""The README's catalogue lists every codemod, in pipeline order, with its safety."""

from __future__ import annotations

import re
from pathlib import Path

from async_test_upgrade import registry

README = Path(__file__).parents[1] / "README.md"


def test_catalogue_matches_the_registry() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (safe|review) \|", README.read_text(), re.M)
    assert rows == [(c.name, c.safety) for c in registry.catalogue()]


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert "migrate --diff corpus/" in block[0]
    assert "pytest" in block[1]
