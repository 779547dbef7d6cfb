from django.shortcuts import render
from wagtail.models import Page

from .models import paginate
from .search import highlight, search_pages

MAX_QUERY_LENGTH = 100


def search(request):
    """Site search; Chinese queries are segmented like the index (home.search)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        tokens, matches = search_pages(Page.objects.live().public().specific(), query)
        results = paginate(request, matches)
        for page in results:
            text = page.search_text() if hasattr(page, "search_text") else ""
            page.search_snippet = highlight(text or page.title, tokens)
            page.search_title = highlight(page.title, tokens, width=200)
    return render(request, "home/search.html", {"query": query, "results": results})
