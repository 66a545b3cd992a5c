"""Yeelen's Streamlit app: the entrypoint that sets the page, the language, the login and the navigation.

Run from the repository root with ``streamlit run apps/streamlit/streamlit_app.py``; the settings next to
this file (``.streamlit/config.toml``) turn on the static file serving that the offline maps need. A user who is
not logged in sees only the login screen; a user whose password must change sees only that form; everyone else
sees the screens of their role (``navigation.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# The screens import their helpers (i18n, data, maps) by plain name, whichever folder the app is run from.
APP_DIR = Path(__file__).resolve().parent
if str(APP_DIR) not in sys.path:
    sys.path.insert(0, str(APP_DIR))

from auth import account_box, current_user, login_screen, password_screen  # noqa: E402
from i18n import t  # noqa: E402
from navigation import screens_for  # noqa: E402
from ui import data_source_caption, language_selector  # noqa: E402

# A local icon: a Material icon as favicon would be fetched from a font CDN.
st.set_page_config(page_title="Yeelen", page_icon=str(APP_DIR / "static" / "yeelen-icon.png"), layout="wide")

language_selector()
user = current_user()

if user is None:
    page = st.navigation([st.Page(login_screen, title=t("login.title"), url_path="login", icon=":material/login:")])
elif user.password_change_required:
    page = st.navigation([st.Page(password_screen, title=t("password.title"), url_path="password")])
else:
    sections: dict[str, list] = {}
    for number, screen in enumerate(screens_for(user.role)):
        sections.setdefault(t(screen.section_key), []).append(
            st.Page(
                screen.path, title=t(screen.title_key), icon=screen.icon, url_path=screen.url_path, default=number == 0
            )
        )
    if not sections:
        sections[t("nav.section.none")] = [st.Page(lambda: st.info(t("nav.no_screen")), title=t("nav.no_screen_title"))]
    page = st.navigation(sections)
    account_box(user)

st.sidebar.markdown(f"**{t('app.title')}** · {t('app.tagline')}")
data_source_caption()
page.run()
