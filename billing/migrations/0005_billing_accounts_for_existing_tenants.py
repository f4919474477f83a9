from django.db import migrations


def open_accounts(apps, schema_editor):
    """Workspaces made before billing: on Free they have no subscription; on a paid plan
    they were given it by hand, which stays as an active plan without a Stripe subscription."""
    Tenant = apps.get_model("tenants", "Tenant")
    BillingAccount = apps.get_model("billing", "BillingAccount")
    for tenant in Tenant.objects.select_related("plan").filter(billing__isnull=True):
        paid = tenant.plan.code != "free"
        BillingAccount.objects.create(
            tenant=tenant, status="active" if paid else "free", subscribed_plan=tenant.plan if paid else None
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_stripe_prices_billing_account")]
    operations = [migrations.RunPython(open_accounts, migrations.RunPython.noop)]
