"""The reminder inbox: every signed-in person has their own (no park needed)."""

from tests.permissions.matrix import Case, everyone


def _mutes(world):
    from reminders.models import Mute

    return sorted(Mute.objects.values_list("user_id", "kind"))


CASES = {
    "reminders:inbox": Case(get=everyone(200), post=everyone(405)),
    "reminders:read": Case(get=everyone(405), post=everyone(302)),
    "reminders:mutes": Case(get=everyone(405), post=everyone(302),
                            post_data={"muted": ["leads_due"]}, state=_mutes),
}
