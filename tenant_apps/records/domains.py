"""Company domains from websites and e-mail addresses, for duplicate detection."""

from urllib.parse import urlsplit

# Addresses at these domains say nothing about the company a person works for.
FREE_MAIL_DOMAINS = frozenset(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk outlook.com hotmail.com live.com msn.com "
    "icloud.com me.com aol.com proton.me protonmail.com gmx.com gmx.net mail.com yandex.com "
    "abv.bg mail.bg dir.bg yahoo.bg".split()
)


def domain_from_website(website: str) -> str:
    text = (website or "").strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    host = (urlsplit(text).hostname or "").strip(".")
    return host[4:] if host.startswith("www.") else host


def domain_from_email(email: str) -> str:
    domain = (email or "").rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""
    return "" if domain in FREE_MAIL_DOMAINS else domain
