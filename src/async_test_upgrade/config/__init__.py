"""Reading and writing pytest settings in the file pytest itself reads.

:func:`locate` finds that file with pytest's own precedence; :class:`PytestConfig`
reads and sets options there keeping comments, order and layout (tomlkit for TOML,
configupdater for ini and cfg files).
"""

from async_test_upgrade.config.formats import (
    ConfigError,
    PytestConfig,
    apply_edits,
    locate,
    setting_in,
)

__all__ = ["ConfigError", "PytestConfig", "apply_edits", "locate", "setting_in"]
