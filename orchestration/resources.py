"""Resources shared by every domain of the code location."""

from __future__ import annotations

import dagster as dg

from yeelen.settings import Settings, load_settings


class YeelenSettingsResource(dg.ConfigurableResource):
    """The product's settings; ``home`` overrides ``YEELEN_HOME`` (tests, a second utility on the same server)."""

    home: str | None = None

    def settings(self) -> Settings:
        overrides = {"home": self.home} if self.home else {}
        value = load_settings(**overrides)
        value.ensure_home()
        return value
