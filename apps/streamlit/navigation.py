"""The screens of the app, grouped in sections: one list read by the entrypoint and the screenshot script."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Screen:
    """A page of the app: its file under ``app_pages/``, its address and the label keys of its title."""

    file: str
    url_path: str
    title_key: str
    section_key: str
    icon: str

    @property
    def path(self) -> Path:
        return APP_DIR / "app_pages" / self.file

    @property
    def is_default(self) -> bool:
        """The first screen opens at the app's root address."""
        return self is SCREENS[0]

    @property
    def address(self) -> str:
        """Path of the screen in the app's address (Streamlit serves the default page at the root only)."""
        return "" if self.is_default else self.url_path


SCREENS: tuple[Screen, ...] = (
    Screen(
        file="supervision.py",
        url_path="supervision",
        title_key="supervision.title",
        section_key="nav.section.management",
        icon=":material/monitoring:",
    ),
)
