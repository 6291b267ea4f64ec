from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from lib.web import render_page

from .selectors import MAX_QUERY_LENGTH, hit, search

PAGE_SIZE = 20
# As-you-type results under the header's search box: the best few, then "all results".
SUGGESTIONS = 8


@login_required
def search_page(request):
    """The results page; for htmx, the results alone (the page's list or the header's menu)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    in_header = request.GET.get("in") == "header"
    paginator = Paginator(
        search(user=request.user, query=query), SUGGESTIONS if in_header else PAGE_SIZE
    )
    page = paginator.get_page(1 if in_header else request.GET.get("page"))
    context = {
        "query": query,
        "page": page,
        "hits": [hit(row) for row in page.object_list],
    }
    partial = "suggestions" if in_header else "results"
    return render_page(request, "search/search.html", context, partial=partial)
