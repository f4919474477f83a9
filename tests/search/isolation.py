"""Isolation-matrix rows for search and list exports (see tests/test_isolation.py)."""

URLS = {
    "search": ("get", "member"),
    "search_suggest": ("get", "member"),
    "api_search": ("get", "api"),
    "records_export": ("get", "manager"),
}


def url_args(name, tenant):
    return ["contact"] if name == "records_export" else []
