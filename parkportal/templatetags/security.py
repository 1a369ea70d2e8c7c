from django import template

register = template.Library()


@register.filter
def minutes(delta) -> int:
    """A timedelta as whole minutes (the login lock-out page)."""
    return int(delta.total_seconds() // 60) if delta else 0
