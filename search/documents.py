"""The full-text document of a row, shared by the search and its index migration.

The `simple` configuration lower-cases words without stemming, so English and Ukrainian text
match alike; the index only serves a query whose expression is exactly this one.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import Expression

CONFIG = "simple"


def document(title: str, *body: str) -> Expression:
    """A title (weight A, or B when a row has nothing else) and body fields (weight B)."""
    vector: Expression = SearchVector(title, config=CONFIG, weight="A" if body else "B")
    for field in body:
        vector = vector + SearchVector(field, config=CONFIG, weight="B")
    return vector
