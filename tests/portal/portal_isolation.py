"""Portal isolation rows for access pages (see tests/portal/test_isolation.py). The link
pages are guarded by their tokens (tests/portal/test_magic_link.py, test_invite.py,
test_signup.py, test_account.py); the account page needs a customer."""

PORTAL_URLS = {
    "portal_magic_link": ("get", "token"),
    "portal_invite_accept": ("get", "token"),
    "portal_signup": ("get", "open"),
    "portal_signup_confirm": ("get", "token"),
    "portal_password_reset": ("get", "open"),
    "portal_password_reset_confirm": ("get", "token"),
    "portal_account": ("get", "customer"),
}


def url_args(name, tenant, access):
    if name in ("portal_magic_link", "portal_invite_accept", "portal_signup_confirm", "portal_password_reset_confirm"):
        return ["not-a-token"]
    return []
