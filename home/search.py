"""Chinese full-text search.

Wagtail's database backends treat a run of Chinese characters as one token, so
a word inside a sentence is never found. We segment with jieba at index time
(extra search fields holding space-joined tokens) and at query time.
"""

import re
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page, get_page_models
from wagtail.search import index

STOP_WORDS = frozenset({"的", "了", "和", "与", "及", "在", "是"})
WORD = re.compile(r"\w")


@cache
def _jieba():
    # Loading the dictionary takes about a second: once per process, lazily.
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def segment(text: str) -> list[str]:
    """Search tokens of a text: jieba's fine-grained cut, words only."""
    return [
        token.lower()
        for token in _jieba().cut_for_search(text or "")
        if WORD.search(token) and token not in STOP_WORDS
    ]


def query_tokens(query: str) -> list[str]:
    """The distinct tokens of a user's query, in order."""
    return list(dict.fromkeys(segment(query)))


def highlight(text: str, tokens: list[str], width: int = 90) -> str:
    """A safe HTML snippet of `text` around the first token, tokens marked."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    lowered = text.lower()
    positions = [lowered.find(t) for t in tokens if lowered.find(t) >= 0]
    start = max(min(positions, default=0) - width // 3, 0)
    snippet = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    if not tokens:
        return escape(prefix + snippet + suffix)
    # Longest first so that 流动党员 wins over 党员 where both match.
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)),
        re.IGNORECASE,
    )
    parts, last = [], 0
    for match in pattern.finditer(snippet):
        parts.append(escape(snippet[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(snippet[last:]))
    return mark_safe(escape(prefix) + "".join(parts) + escape(suffix))  # noqa: S308


class SegmentedSearchMixin:
    """Adds jieba-segmented title and body fields to a page's search index.

    Subclasses list their text in `search_text_parts()`.
    """

    segmented_search_fields = [
        # The raw title is one token in Chinese, so boost the segmented one.
        index.SearchField("search_title_tokens", boost=2),
        index.SearchField("search_body_tokens"),
    ]

    def search_text_parts(self) -> list[str]:
        return []

    def search_text(self) -> str:
        return " ".join(part for part in self.search_text_parts() if part)

    def search_title_tokens(self) -> str:
        return " ".join(segment(self.title))

    def search_body_tokens(self) -> str:
        return " ".join(segment(self.search_text()))


def stream_text(stream_value) -> list[str]:
    """The readable text of a StreamField value (tags stripped)."""
    if not stream_value:
        return []
    return stream_value.stream_block.get_searchable_content(stream_value)


def _specific_paths(model=Page) -> dict[type, list[str]]:
    """For each concrete page model, the chain of parent-link names from
    `Page` down to it (multi-table inheritance): NewsPage → ["newspage"]."""
    paths = {}
    for page_model in get_page_models():
        if page_model is model or not issubclass(page_model, model):
            continue
        chain = [
            parent._meta.model_name
            for parent in reversed(page_model._meta.get_parent_list())
            if parent is not model and issubclass(parent, model)
        ]
        paths[page_model] = [*chain, page_model._meta.model_name]
    return paths


def with_specific_fields(queryset):
    """`queryset` fetching every page's specific fields in the same query
    (a LEFT JOIN of each page type's table), where Wagtail's `.specific()`
    makes one more query per page type in the results. Read each page
    through `specific_of`."""
    return queryset.select_related(
        *("__".join(chain) for chain in _specific_paths().values())
    )


def specific_of(page):
    """The specific page of a page from `with_specific_fields`, no query."""
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    specific = page
    for name in _specific_paths().get(model, []):
        specific = getattr(specific, name)
    return specific


def search_pages(queryset, query: str):
    """Pages in `queryset` matching every token, else any token."""
    tokens = query_tokens(query)
    if not tokens:
        return tokens, queryset.none()
    terms = " ".join(tokens)
    results = queryset.search(terms, operator="and")
    # count() is kept, and the paginator asks the same results for it.
    if len(tokens) > 1 and not results.count():
        results = queryset.search(terms, operator="or")
    return tokens, results
