"""Identity: the User model, django-allauth, django-otp, django-rules, sessions."""

from .environment import env

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
# Workspace permissions are django-rules predicates asked through
# shared_apps.accounts.rules.can(); Django's model permissions are not used.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail is the only login identifier.
ACCOUNT_ADAPTER = "shared_apps.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Owners land signed in right after signup; the address is verified by the link we mail.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    # Workspace signup and invitation acceptance reuse allauth's rate limiter.
    "signup": "10/h/ip,5/5m/key",
    # The as-you-type address check on the signup form.
    "slug_check": "120/m/ip",
    # The customer portal's e-mailed links (sign-in, sign-up, password reset), per workspace.
    "portal_link": "20/h/ip,5/15m/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("URL_SCHEME", default="http")
# Behind a load balancer or ingress: how many proxies append to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-otp
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Tessera")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10

# Sessions are stored in the public schema, bound to the host (never a parent domain)
# and to the schema and surface they were created on (SessionBindingMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "tessera_session"
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_NAME = "tessera_csrf"
CSRF_COOKIE_DOMAIN = None
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "themes.views.csrf_failure"

# Signed hand-off between hosts (signup, workspace switch, impersonation).
HANDOFF_MAX_AGE_SECONDS = 60
INVITATION_MAX_AGE_DAYS = 7
IMPERSONATION_MAX_MINUTES = 30
