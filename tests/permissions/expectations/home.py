"""Health probe, home page, Django auth (login / logout / password) and the language switch."""

from tests.permissions.matrix import LOGIN, Case, everyone


def _large_text(world):
    from users.models import DisplayPreference

    return sorted(DisplayPreference.objects.values_list("user_id", "large_text"))


CASES = {
    # Large-text mode (issue 16): each signed-in user switches their own; POST only.
    "large_text": Case(get=everyone(405), post=everyone(302),
                       post_data={"large_text": "1", "next": "/"}, state=_large_text),
    # The health probe is for monitors: no login, GET only.
    "healthz": Case(get=everyone(200, anonymous=200), post=everyone(405, anonymous=405)),
    "home": Case(get=everyone(200), post=everyone(405)),
    "set_language": Case(get=everyone(302, anonymous=302), post=everyone(302, anonymous=302),
                         post_data={"language": "en", "next": "/"}),
    "login": Case(get=everyone(200, anonymous=200), post=everyone(200, anonymous=200)),
    # Logging out is a POST (Django 5); it lands on the login page.
    "logout": Case(get=everyone(405, anonymous=405), post=everyone(302, anonymous=302)),
    "password_change": Case(get=everyone(200), post=everyone(200)),
    "password_change_done": Case(get=everyone(200), post=everyone(405, anonymous=LOGIN)),
    # No mail server configured in tests: the page says so, and a POST answers 503.
    "password_reset": Case(get=everyone(200, anonymous=200),
                           post=everyone(503, anonymous=503)),
    "password_reset_done": Case(get=everyone(200, anonymous=200),
                                post=everyone(405, anonymous=405)),
    "password_reset_confirm": Case(get=everyone(200, anonymous=200),
                                   post=everyone(200, anonymous=200),
                                   kwargs={"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Case(get=everyone(200, anonymous=200),
                                    post=everyone(405, anonymous=405)),
}
