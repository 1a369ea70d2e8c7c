"""At login, the user's large-text mode goes into the session (one query then, none per page)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="users.large_text_into_session")
def large_text_into_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    from users.models import DisplayPreference
    from users.services import LARGE_TEXT_SESSION_KEY

    request.session[LARGE_TEXT_SESSION_KEY] = DisplayPreference.objects.filter(
        user=user, large_text=True).exists()
