"""Yeelen's Streamlit app: the entrypoint that sets the page, the language and the navigation.

Run from the repository root with ``streamlit run apps/streamlit/streamlit_app.py``; the settings next to
this file (``.streamlit/config.toml``) turn on the static file serving that the offline maps need.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# The screens import their helpers (i18n, data, maps) by plain name, whichever folder the app is run from.
APP_DIR = Path(__file__).resolve().parent
if str(APP_DIR) not in sys.path:
    sys.path.insert(0, str(APP_DIR))

from i18n import t  # noqa: E402
from navigation import SCREENS  # noqa: E402
from ui import data_source_caption, language_selector  # noqa: E402

# A local icon: a Material icon as favicon would be fetched from a font CDN.
st.set_page_config(page_title="Yeelen", page_icon=str(APP_DIR / "static" / "yeelen-icon.png"), layout="wide")

language_selector()

sections: dict[str, list] = {}
for screen in SCREENS:
    sections.setdefault(t(screen.section_key), []).append(
        st.Page(
            screen.path,
            title=t(screen.title_key),
            icon=screen.icon,
            url_path=screen.url_path,
            default=screen.is_default,
        )
    )

page = st.navigation(sections)
st.sidebar.markdown(f"**{t('app.title')}** · {t('app.tagline')}")
data_source_caption()
page.run()
