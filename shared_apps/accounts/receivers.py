"""Signals from django.contrib.auth and allauth into the session binding and the log."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_changed, password_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from .binding import IMPERSONATOR_ID_KEY, session_bind
from .selectors import email_verified_forget
from .services.sessions import session_forget, session_register


@receiver(user_logged_in, dispatch_uid="tessera_bind_session")
def bind_session_on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session_bind(request, schema_name=connection.schema_name)
    session_register(request=request, user=user)
    if not request.session.get(IMPERSONATOR_ID_KEY):
        security_event_record(kind=EventKind.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="tessera_forget_session")
def forget_session_on_logout(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    if request.session.session_key:
        session_forget(session_key=request.session.session_key)
    security_event_record(kind=EventKind.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="tessera_login_failed")
def record_failed_login(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    security_event_record(kind=EventKind.LOGIN_FAILED, request=request, actor_email=email)


@receiver(password_changed, dispatch_uid="tessera_password_changed")
def record_password_changed(sender, request, user, **kwargs):
    security_event_record(kind=EventKind.PASSWORD_CHANGED, request=request, actor=user)


@receiver(password_reset, dispatch_uid="tessera_password_reset")
def record_password_reset(sender, request, user, **kwargs):
    security_event_record(kind=EventKind.PASSWORD_RESET, request=request, actor=user)


@receiver(post_save, sender=EmailAddress, dispatch_uid="tessera_email_verified_forget")
@receiver(post_delete, sender=EmailAddress, dispatch_uid="tessera_email_verified_forget_delete")
def forget_email_verified(sender, instance, **kwargs):
    email_verified_forget(instance.user_id)


@receiver(email_confirmed, dispatch_uid="tessera_email_confirmed")
def record_email_confirmed(sender, request, email_address, **kwargs):
    security_event_record(
        kind=EventKind.EMAIL_CONFIRMED, request=request, actor=email_address.user, email=email_address.email
    )
