from decimal import Decimal

from django.db import migrations

PLANS = [
    {
        "code": "free", "name": "Free", "sort_order": 0, "price_monthly": Decimal("0"), "price_yearly": Decimal("0"),
        "tagline": "For a founder getting started.",
        "max_seats": 2, "max_contacts": 1000, "max_storage_mb": 500, "max_emails_per_month": 500,
        "ai_credits_per_month": 50, "features": [],
    },
    {
        "code": "basic", "name": "Basic", "sort_order": 10, "price_monthly": Decimal("12"), "price_yearly": Decimal("120"),
        "tagline": "For small teams that sell every day.",
        "max_seats": 5, "max_contacts": 10000, "max_storage_mb": 5000, "max_emails_per_month": 5000,
        "ai_credits_per_month": 500, "features": ["portal", "api"],
    },
    {
        "code": "pro", "name": "Pro", "sort_order": 20, "price_monthly": Decimal("29"), "price_yearly": Decimal("290"),
        "tagline": "For growing teams with a customer portal and campaigns.",
        "max_seats": 25, "max_contacts": 100000, "max_storage_mb": 50000, "max_emails_per_month": 50000,
        "ai_credits_per_month": 5000, "features": ["portal", "api", "campaigns", "automation", "custom_domains"],
    },
    {
        "code": "enterprise", "name": "Enterprise", "sort_order": 30, "price_monthly": Decimal("79"),
        "price_yearly": Decimal("790"), "tagline": "For companies that need SSO, white label and no limits.",
        "max_seats": None, "max_contacts": None, "max_storage_mb": None, "max_emails_per_month": None,
        "ai_credits_per_month": 50000,
        "features": ["portal", "api", "campaigns", "automation", "custom_domains", "sso", "white_label"],
    },
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for plan in PLANS:
        Plan.objects.update_or_create(code=plan["code"], defaults={k: v for k, v in plan.items() if k != "code"})


def unseed(apps, schema_editor):
    apps.get_model("billing", "Plan").objects.filter(code__in=[p["code"] for p in PLANS], tenants__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
