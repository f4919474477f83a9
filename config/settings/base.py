"""Settings shared by every environment. Integration settings live in their own modules."""

from pathlib import Path
from urllib.parse import unquote

from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR, LOCAL_DIR, env

DEFAULT_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# --- Domains and surfaces -------------------------------------------------------------
# The public site lives on APP_DOMAIN, the staff app on {slug}.APP_DOMAIN and the customer
# portal on {slug}.PORTAL_DOMAIN (see docs/architecture.md).
APP_DOMAIN = env.str("APP_DOMAIN", default="localhost").lower().strip(".")
PORTAL_DOMAIN = env.str("PORTAL_DOMAIN", default=f"portal.{APP_DOMAIN}").lower().strip(".")
PUBLIC_HOSTS = [APP_DOMAIN, f"www.{APP_DOMAIN}"]
URL_SCHEME = env.str("URL_SCHEME", default="http")
# The port that users reach the platform on, when it is not the scheme's default.
URL_PORT = env.str("URL_PORT", default="")
# Host validation is done by the tenant routing middleware against the Domain table
# (custom domains are arbitrary), so Django's own check is opened up here.
ALLOWED_HOSTS = ["*"]

# --- Applications ---------------------------------------------------------------------
SHARED_APPS = [
    # Ours first, so that our migrate_schemas command overrides django-tenants' own.
    "tenants",
    "django_tenants",
    # Stripe's objects (customers, subscriptions, events) live in the public schema.
    # Before billing, so that dj-stripe has synced an event's object when ours runs.
    "djstripe",
    "billing",
    "shared_apps.accounts",
    "shared_apps.audit",
    "shared_apps.outbox",
    "shared_apps.console",
    "shared_apps.site",
    "themes",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
TENANT_APPS = [
    "tenant_apps.workspace",
    "themes",
    "portal",
    # History of CRM records: triggers and event tables live in each tenant schema.
    "pgtrigger",
    "pghistory",
    "tenant_apps.records",
    "tenant_apps.companies",
    "tenant_apps.contacts",
    "tenant_apps.deals",
    "tenant_apps.activities",
    "tenant_apps.tasks",
    "tenant_apps.notifications",
    "tenant_apps.search",
    "tenant_apps.imports",
    "tenant_apps.integrations",
    "tenant_apps.sales",
    "tenant_apps.templates",
    "tenant_apps.assistant",
    "tenant_apps.tickets",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_app"
SURFACE_URLCONFS = {
    "public": "config.urls_public",
    "app": "config.urls_app",
    "portal": "config.urls_portal",
}
# Migrated template that new tenant schemas are cloned from (tenants/provisioning).
TENANT_BASE_SCHEMA = "tessera_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Migrate in each schema records the migrations of apps that have no tables there instead
# of replaying them (tenants/migrate.py): minutes less for every schema migrated from zero.
TENANT_BASE_MIGRATE_COMMAND = "tenants.migrate.Command"
# One `SET search_path` per connection and tenant, not one before every query (it doubled
# the round trips of a page). django-tenants forgets it on set_tenant(), close(), rollback
# and savepoint rollback, so a reverted SET is issued again.
TENANT_LIMIT_SET_CALLS = True
# Pre-migrated spare schemas kept warm so that signup claims one in milliseconds.
TENANT_SPARE_POOL_SIZE = env.int("TENANT_SPARE_POOL_SIZE", default=2)
TENANT_BACKUP_DIR = Path(env.str("TENANT_BACKUP_DIR", default=str(BASE_DIR / "backups")))
# Directory holding pg_dump; by default the one matching the server is searched for.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "tenant_apps.workspace.middleware.WorkspaceTimezoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shared_apps.accounts.middleware.SessionBindingMiddleware",
    "shared_apps.accounts.middleware.SecondFactorMiddleware",
    # Who changed a record, and through which URL, goes into its history.
    "pghistory.middleware.HistoryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        # Forms render through our templates (themes/templates/django/forms/).
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.theme",
                "shared_apps.accounts.context_processors.identity",
                "billing.context_processors.billing_notice",
                "tenant_apps.assistant.context_processors.assistant",
            ],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tessera")}
# A unix-socket directory comes URL-encoded in the host part (postgres://u@%2Fpath/db).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Every pgtrigger/pghistory row trigger reads `pgtrigger.ignore` inside a plpgsql EXCEPTION
# block; unset, the read raises and rolls back a subtransaction per row, which makes bulk
# writes (imports, seeding, bulk actions) several times slower. Set to an empty list from
# the connection's start (RESET and pgtrigger.ignore() return to it), nothing is ignored.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = " ".join(filter(None, [_db_options.get("options", ""), "-c pgtrigger.ignore={}"]))
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Event tables (django-pghistory) copy a record's foreign keys without constraints, and by
# default with an index each. History is read by the object (pgh_obj) and joined to its
# context; a contact's e-mail and phone events by their contact (indexed in their own
# Meta). The other copies (owner, company, created_by, ...) are never searched, and their
# indexes only made every write, and an import's bulk events, slower.
from pghistory.config import ContextForeignKey, ForeignKey, ObjForeignKey  # noqa: E402

PGHISTORY_FOREIGN_KEY_FIELD = ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = ContextForeignKey(db_index=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("bg", _("Bulgarian"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tessera_language"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(LOCAL_DIR / "media")))
# No MEDIA_URL is served: tenant files go out only through permission-checked views.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

from .ai import *  # noqa: E402,F401,F403
from .api import *  # noqa: E402,F401,F403
from .auth import *  # noqa: E402,F401,F403
from .cache import *  # noqa: E402,F401,F403
from .celery import *  # noqa: E402,F401,F403
from .domains import *  # noqa: E402,F401,F403
from .email import *  # noqa: E402,F401,F403
from .security import *  # noqa: E402,F401,F403
from .stripe import *  # noqa: E402,F401,F403
