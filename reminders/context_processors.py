"""The navbar's unread-reminder count (one indexed query, only when the page shows it)."""

from django.utils.functional import SimpleLazyObject

from reminders.selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
