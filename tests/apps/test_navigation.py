"""Login, the first password change, and which screens each role sees (and may not open)."""

from __future__ import annotations

import pytest
from navigation import ROLES, SCREENS, screens_for

from operational_api.auth.rights import RIGHTS, Role
from yeelen.settings import Settings

from . import operational_fixture
from .conftest import USER_KEY, api_login, assert_no_exception, run_app, run_screen

VISIBLE = [(screen.url_path, role) for screen in SCREENS for role in ROLES if screen.visible_to(role)]
HIDDEN = [(screen.url_path, role) for screen in SCREENS for role in ROLES if not screen.visible_to(role)]


def test_roles_are_those_of_the_api() -> None:
    assert set(ROLES) == {role.value for role in Role if role is not Role.PARTNER}


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.url_path)
def test_every_role_given_a_screen_holds_the_rights_it_calls(screen) -> None:
    for role in screen.roles | {screen.made_for}:
        missing = {right for right in screen.api_rights if right not in {str(a) for a in RIGHTS[Role(role)]}}
        assert not missing, f"{role} sees {screen.url_path} but lacks {missing}"


def test_nobody_logged_in_sees_only_the_login_screen(published: Settings) -> None:
    app = run_app(login=None)

    assert_no_exception(app)
    assert app.title[0].value == "Connexion"
    assert not app.metric
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/supervision.py")


def test_login_with_a_wrong_password_is_refused_in_plain_words(published: Settings) -> None:
    app = run_app(login=None)
    app.text_input(key="login.login").set_value("manager")
    app.text_input(key="login.password").set_value("not-the-password")
    app.button[0].click().run()

    assert_no_exception(app)
    assert [warning.value for warning in app.warning] == ["Identifiant ou mot de passe incorrect."]
    assert USER_KEY not in app.session_state


def test_login_opens_the_first_screen_of_the_role(published: Settings) -> None:
    app = run_app(login=None, language="en")
    app.text_input(key="login.login").set_value("cashier-dkp")
    app.text_input(key="login.password").set_value(operational_fixture.PASSWORD)
    app.button[0].click().run()

    assert_no_exception(app)
    assert app.title[0].value == "Cash desk"
    user = app.session_state[USER_KEY]
    assert user["me"]["role"] == "cashier" and user["me"]["agencies"] == ["DKP"]
    assert any("Cashier · DKP" in caption.value for caption in app.sidebar.caption)


def test_a_first_password_must_be_changed_before_any_screen(published: Settings) -> None:
    app = run_app(login=None)
    app.text_input(key="login.login").set_value("newcomer")
    app.text_input(key="login.password").set_value(operational_fixture.FIRST_PASSWORD)
    app.button[0].click().run()

    assert app.title[0].value == "Nouveau mot de passe"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/customer_account.py")

    app.text_input(key="password.current").set_value(operational_fixture.FIRST_PASSWORD)
    app.text_input(key="password.new").set_value("court")
    app.text_input(key="password.again").set_value("court")
    app.button[0].click().run()
    assert [error.value for error in app.error] == ["Ce mot de passe est trop faible."]
    assert app.title[0].value == "Nouveau mot de passe"

    new_password = "Nouveau-Compteur-2026"
    app.text_input(key="password.current").set_value(operational_fixture.FIRST_PASSWORD)
    app.text_input(key="password.new").set_value(new_password)
    app.text_input(key="password.again").set_value(new_password)
    app.button[0].click().run()

    assert_no_exception(app)
    assert app.title[0].value == "Compte client", "the customer clerk's first screen"
    assert api_login("newcomer", new_password)["password_change_required"] is False


def test_logout_revokes_the_token_and_returns_to_the_login(published: Settings) -> None:
    answer = api_login("billing-clerk-dkp")
    from auth import session_state_for

    app = run_app(login=None)
    app.session_state[USER_KEY] = session_state_for(answer["access_token"], answer["user"])
    app.run()
    assert app.title[0].value == "Contrôle de facturation"

    app.button(key="account.logout").click().run()
    assert app.title[0].value == "Connexion"

    # The same token, kept by someone, no longer opens anything: the app says the session is over.
    app.session_state[USER_KEY] = session_state_for(answer["access_token"], answer["user"])
    app.run()
    app.switch_page("app_pages/customer_account.py").run()
    app.text_input(key="customer.search").set_value("Ndiaye").run()
    assert [warning.value for warning in app.warning] == ["Votre session a été fermée : reconnectez-vous."]
    assert USER_KEY not in app.session_state
    assert app.run().title[0].value == "Connexion"


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_lists_the_screens_of_the_role(published: Settings, role: str) -> None:
    app = run_app(login=operational_fixture.login_of(role))

    assert_no_exception(app)
    first = screens_for(role)[0]
    from i18n import t

    assert app.title[0].value == t(first.title_key, "fr")


@pytest.mark.parametrize(("url_path", "role"), VISIBLE, ids=[f"{path}-{role}" for path, role in VISIBLE])
def test_each_screen_opens_for_each_role_that_sees_it(published: Settings, url_path: str, role: str) -> None:
    app = run_screen(url_path, login=operational_fixture.login_of(role))

    assert_no_exception(app)
    assert not app.error, [error.value for error in app.error]
    # Every table writes an empty cell as a dash, numbers included, never "None".
    assert [table.proto.placeholder for table in app.dataframe] == ["—"] * len(app.dataframe)


@pytest.mark.parametrize(("url_path", "role"), HIDDEN, ids=[f"{path}-{role}" for path, role in HIDDEN])
def test_a_screen_is_not_offered_to_a_role_that_may_not_see_it(published: Settings, url_path: str, role: str) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        run_screen(url_path, login=operational_fixture.login_of(role))
