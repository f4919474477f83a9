from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.errors import SlugInvalid, SlugTaken
from tenants.services.provisioning import tenant_slug_check


class WorkspaceSignupForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=120)
    slug = forms.CharField(
        label=_("Workspace address"),
        max_length=40,
        help_text=_("Lower-case letters, digits and hyphens."),
        widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Your work e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            # A signed-in user creates another workspace as themselves.
            del self.fields["email"]
            del self.fields["password"]

    def clean_company_name(self):
        name = self.cleaned_data["company_name"].strip()
        if len(name) < 2:
            raise ValidationError(_("Enter your company's name."), code="required")
        return name

    def clean_slug(self):
        try:
            return tenant_slug_check(self.cleaned_data["slug"])
        except (SlugInvalid, SlugTaken) as exc:
            raise ValidationError(str(exc.message), code=exc.code) from exc

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists. Sign in first to create another workspace."),
                code="email_taken",
            )
        return email

    def clean(self):
        data = super().clean()
        if self.user is None and data.get("password") and data.get("email"):
            try:
                password_validation.validate_password(data["password"], get_user_model()(email=data["email"]))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data
