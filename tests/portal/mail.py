"""Reading portal e-mails in tests: the link's path on the portal host."""

from urllib.parse import urlparse

from tests.helpers import link_in


def link_path(message, fragment: str) -> str:
    """The path of the first link in `message`'s text part that contains `fragment`."""
    return urlparse(link_in(message, pattern=r"https?://[^\s\"'<>]*" + fragment + r"[^\s\"'<>]*")).path


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
