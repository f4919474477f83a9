"""Creating and changing user accounts."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

from ..errors import AccountError


def user_create(*, email: str, password: str, full_name: str = "", language: str = "", verified: bool = False):
    """A new account; the password must pass the validators. Raises AccountError."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip().lower()
    if user_model.objects.filter(email__iexact=email).exists():
        raise AccountError(_("An account with this e-mail address already exists."), code="email_taken")
    user = user_model(email=email, full_name=full_name.strip(), language=language)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages), code="password_weak") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    except IntegrityError as exc:
        raise AccountError(_("An account with this e-mail address already exists."), code="email_taken") from exc
    return user


def user_update_profile(*, user, full_name: str, language: str):
    user.full_name = full_name.strip()
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user
