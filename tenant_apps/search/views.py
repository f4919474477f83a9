"""The search page (all results, grouped by type) and the as-you-type suggestions."""

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from shared_apps.accounts.decorators import permission_required

from .selectors import SUGGEST_CANDIDATES, TYPE_KEYS, search_global, search_problem, search_types_for

PAGE_PER_TYPE = 10
MORE_PER_TYPE = 20
SUGGEST_PER_TYPE = 4


def _offset(value) -> int:
    try:
        return min(max(0, int(value)), 10_000)
    except (TypeError, ValueError):
        return 0


def _more_url(text, key, offset) -> str:
    query = QueryDict(mutable=True)
    query.update({"q": text, "type": key, "offset": str(offset)})
    return f"{reverse('search')}?{query.urlencode()}"


@permission_required("workspace.view")
def search_page(request):
    """?q= all types; ?q=&type=contacts&offset=10 one type from there on (as a fragment of
    list items when fetched by the page's "more" link)."""
    text = (request.GET.get("q") or "").strip()
    key = request.GET.get("type") if request.GET.get("type") in TYPE_KEYS else None
    offset = _offset(request.GET.get("offset")) if key else 0
    per_type = MORE_PER_TYPE if key else PAGE_PER_TYPE
    problem = search_problem(text) if "q" in request.GET else None
    groups = search_global(user=request.user, text=text, per_type=per_type, types=[key] if key else None,
                           offset=offset) if text and not problem else []
    for group in groups:
        group.more_url = _more_url(text, group.type, offset + len(group.hits)) if group.has_more else ""
    context = {
        "q": text, "problem": problem, "groups": groups, "only_type": key, "offset": offset,
        "searched": bool(text) and not problem, "found": any(g.hits for g in groups),
        "type_labels": {t.key: t.label for t in search_types_for(request.user)},
    }
    if key and request.headers.get("X-Requested-With") == "fetch":
        return render(request, "search/_more.html", {"group": groups[0] if groups else None, "q": text})
    return render(request, "search/search_page.html", context)


@permission_required("workspace.view")
def search_suggest(request):
    """The dropdown under the top bar's search box: a few hits per type, as HTML."""
    text = (request.GET.get("q") or "").strip()
    problem = search_problem(text)
    groups = [] if problem else search_global(user=request.user, text=text, per_type=SUGGEST_PER_TYPE,
                                                      candidates=SUGGEST_CANDIDATES)
    query = QueryDict(mutable=True)
    query["q"] = text
    return render(request, "search/_suggest.html", {
        "q": text, "problem": problem, "groups": [g for g in groups if g.hits],
        "all_url": f"{reverse('search')}?{query.urlencode()}",
    })
