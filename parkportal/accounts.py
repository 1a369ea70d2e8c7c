"""Password reset that is throttled like the login and tells the truth about mail.

The login itself is throttled by django-axes (parkportal.auth.ThrottledBackend). A reset
request is not a login, so it is counted here, per client address, in the cache: at most
PASSWORD_RESET_LIMIT requests per cool-off period (AXES_COOLOFF_TIME), and none from an address
that axes has locked out. When no mail server is configured (settings.MAIL_CONFIGURED) the page
says so instead of claiming that a message was sent. A mail server that fails while sending is
logged by Django and not shown: the page must look the same whether or not the address belongs
to an account.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render

from parkportal.auth import client_ip

log = logging.getLogger("parkportal.security")


def reset_attempts_key(ip: str | None) -> str:
    return f"parkportal:password-reset:{ip or 'unknown'}"


def count_reset_request(request) -> bool:
    """Count one reset request from this address; False when it is over the limit."""
    key = reset_attempts_key(client_ip(request))
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        count = 1
    return count <= settings.PASSWORD_RESET_LIMIT


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(mail_configured=settings.MAIL_CONFIGURED, **kwargs)

    def post(self, request, *args, **kwargs):
        if not settings.MAIL_CONFIGURED:
            log.warning("password reset refused: mail is not configured")
            return self.render_to_response(self.get_context_data(form=self.get_form()),
                                           status=503)
        ip = client_ip(request)
        if AxesProxyHandler.is_locked(request) or not count_reset_request(request):
            log.warning("password reset throttled for %s", ip)
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, {
                "failure_limit": settings.PASSWORD_RESET_LIMIT,
                "cooloff_timedelta": settings.AXES_COOLOFF_TIME, "reset": True}, status=429)
        log.info("password reset requested from %s", ip)
        return super().post(request, *args, **kwargs)
