from django.shortcuts import render
from wagtail.models import Page

from .models import paginate
from .search import highlight, search_pages, specific_of, with_specific_fields

MAX_QUERY_LENGTH = 100


def search(request):
    """Site search; Chinese queries are segmented like the index (home.search)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        pages = with_specific_fields(Page.objects.live().public())
        tokens, matches = search_pages(pages, query)
        results = paginate(request, matches)
        results.object_list = [specific_of(page) for page in results]
        for page in results:
            text = page.search_text() if hasattr(page, "search_text") else ""
            page.search_snippet = highlight(text or page.title, tokens)
            page.search_title = highlight(page.title, tokens, width=200)
    return render(request, "home/search.html", {"query": query, "results": results})
