"""Wagtail's database search, finding Kyrgyz, Russian and English word forms.

`WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "cms.search_backend"`. On PostgreSQL and on
SQLite (FTS5) the index entry of an object holds its text followed by the lower-case forms and
stems of its words (cms/search_stemming.py, in the object's language), and a query looks
for each of its words as written or by its stem in the visitor's language. The two databases
thus match the same words; PostgreSQL's own stemming is not needed (`SEARCH_CONFIG` "simple").

Only the words of a query reach the database (letters and digits): quotes, `*`, `NEAR(`, NUL
bytes and other full-text syntax are dropped, and a query with no words finds nothing.
"""

import copy
import functools
import operator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, TextField, Value
from django.utils import translation
from modelsearch.backends import database
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText

from cms.search_stemming import stems, with_stems, words

# More words than this in one query are ignored (the view already caps queries at 200 chars).
MAX_QUERY_WORDS = 32
LANGUAGES = ("ky", "ru", "en")
_ranked_at_most = ContextVar("ranked_at_most", default=None)


@contextmanager
def ranking_at_most(limit):
    """Searches made inside rank only the `limit` newest matches: PostgreSQL's ranking reads
    every match (SQLite's full-text index ranks as it finds, but finds the same pages)."""
    token = _ranked_at_most.set(limit)
    try:
        yield
    finally:
        _ranked_at_most.reset(token)


def _language_of(obj):
    """The language code of a translatable object ("ky", "ru", "en"), else None."""
    locale_id = getattr(obj, "locale_id", None)
    if locale_id is None:
        return None
    # deferred: this backend is imported while the settings load
    from cms.repeated_lookups import language_code_of

    code = language_code_of(locale_id)
    return code if code in LANGUAGES else None


def _query_language():
    language = translation.get_language() or ""
    language = language.split("-")[0]
    return language if language in LANGUAGES else None


# Indexing ------------------------------------------------------------------------------------


class _Stemmed:
    """What the upstream indexer sees of an object: the object, with stemming search fields."""

    def __init__(self, obj, fields):
        self._obj = obj
        self._fields = fields
        self.pk = obj.pk

    def get_search_fields(self):
        return self._fields

    def __getattr__(self, name):
        if name == "_obj":
            raise AttributeError(name)
        return getattr(self._obj, name)


def _unwrap(obj):
    return obj._obj if isinstance(obj, _Stemmed) else obj


def _add_stems(value, language):
    if isinstance(value, str):
        return with_stems(value, language)
    if isinstance(value, list):
        return [_add_stems(item, language) for item in value]
    if isinstance(value, dict):
        return {key: _add_stems(item, language) for key, item in value.items()}
    return value


def _stemming_field(field, language):
    """A copy of a search field whose value carries the stems of its words."""
    wrapped = copy.copy(field)
    get_value = field.get_value
    if isinstance(field, SearchField):
        wrapped.get_value = lambda obj: _add_stems(get_value(_unwrap(obj)), language)
    else:
        wrapped.get_value = lambda obj: get_value(_unwrap(obj))
    if isinstance(field, RelatedFields):
        wrapped.fields = [_stemming_field(sub, language) for sub in field.fields]
    return wrapped


def _stemming_fields(obj):
    language = _language_of(obj)
    return [
        _stemming_field(field, language)
        if isinstance(field, (SearchField, AutocompleteField, RelatedFields))
        else field
        for field in obj.get_search_fields()
    ]


class StemmingIndexMixin:
    def add_items(self, model, objs):
        super().add_items(model, [_Stemmed(obj, _stemming_fields(obj)) for obj in objs])


# Queries -------------------------------------------------------------------------------------


def _clean(query):
    """The query with only words left in it; Not(MatchAll()) (nothing) if no word is left."""
    if isinstance(query, (PlainText, Phrase)):
        found = words(query.query_string)[:MAX_QUERY_WORDS]
        if not found:
            return None
        cleaned = copy.copy(query)
        cleaned.query_string = " ".join(found)
        return cleaned
    if isinstance(query, (And, Or)):
        kept = [q for q in (_clean(sub) for sub in query.subqueries) if q is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else type(query)(kept)
    if isinstance(query, Not):
        inner = _clean(query.subquery)
        return Not(inner) if inner is not None else None
    if isinstance(query, Boost):
        inner = _clean(query.subquery)
        return Boost(inner, query.boost) if inner is not None else None
    return query


class StemmingQueryMixin:
    """Cleans the query and looks for every word as written or by one of its stems."""

    EXPAND_STEMS = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = _clean(self.query) or Not(MatchAll())
        self.query_language = _query_language()

    def _rank_only_the_newest(self, unranked):
        """Narrow the searched pages to the newest matches (`ranking_at_most`); `unranked(start,
        stop)` is the vendor's search of the matches, newest first."""
        limit = _ranked_at_most.get()
        if not limit or not self.order_by_relevance:
            return
        searched = self.queryset
        self.queryset = searched.order_by("-pk")
        self.order_by_relevance = False
        try:
            newest = unranked(0, limit)
        finally:
            self.order_by_relevance = True
        self.queryset = searched.filter(pk__in=newest.values("pk"))

    def word_forms(self, query):
        """[(forms of the word, is the last word)] for the words of a PlainText query."""
        found = words(query.query_string)
        result = []
        for position, word in enumerate(found):
            forms = stems(word, self.query_language) if self.EXPAND_STEMS else {word.lower()}
            result.append((sorted(forms), position == len(found) - 1))
        return result


class SQLiteStemmingQueryMixin(StemmingQueryMixin):
    def search(self, config, start, stop, score_field=None):
        # The FTS5 table has only the columns title, body and autocomplete: a search limited
        # to other fields (the admin's `search_fields`, e.g. ["title", "number"]) would be an
        # SQL error, so it looks in the columns that hold them.
        fields = self.fields
        whole = self.queryset
        if fields:
            if self.TARGET_SEARCH_FIELD_TYPE is AutocompleteField:
                self.fields = ["autocomplete"]
            else:
                self.fields = sorted({"title" if f == "title" else "body" for f in fields})
        try:
            self._rank_only_the_newest(
                lambda first, last: super(SQLiteStemmingQueryMixin, self).search(
                    config, first, last
                )
            )
            return super().search(config, start, stop, score_field)
        finally:
            self.fields = fields
            self.queryset = whole

    def build_search_query_content(self, query, config=None):
        if not isinstance(query, PlainText):
            return super().build_search_query_content(query, config=config)
        groups = []
        for forms, last in self.word_forms(query):
            quoted = [f'"{form}"' for form in forms]
            if last and self.LAST_TERM_IS_PREFIX:
                quoted = [f"{text}*" for text in quoted]
            groups.append("(" + " OR ".join(quoted) + ")")
        connector = " OR " if query.operator.lower() == "or" else " AND "
        from modelsearch.backends.database.sqlite.query import SearchQueryExpression

        return SearchQueryExpression(Value(connector.join(groups), output_field=TextField()))


class PostgresStemmingQueryMixin(StemmingQueryMixin):
    """Two things make a search fast at national scale (20,000 pages, a common word matching
    thousands of budgets and hearings; BENCHMARKS.md):

    - each word is first looked for in the title's and the body's own GIN indexes: the
      backend's match is on the two joined, which no index serves, so every entry was read;
    - with `ranking_at_most(n)` (the public search) only the newest n matches are ranked,
      rather than every match read and ranked to show twenty.
    """

    def search(self, config, start, stop, score_field=None, backend=None):
        whole = self.queryset
        try:
            prefilter = self._in_indexed_fields(config)
            if prefilter is not None:
                self.queryset = self.queryset.filter(prefilter)
            self._rank_only_the_newest(
                lambda first, last: super(PostgresStemmingQueryMixin, self).search(
                    config, first, last, backend=backend
                )
            )
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        finally:
            self.queryset = whole

    def _in_indexed_fields(self, config):
        """A condition the GIN indexes answer that every match meets (each word of an "and"
        query in the title or the body; any word of an "or" query), or None."""
        if self.fields is not None or not isinstance(self.query, PlainText):
            return None
        groups = []
        for forms, last in self.word_forms(self.query):
            raw = self._forms_query(forms, last)
            words_query = SearchQuery(raw, search_type="raw", config=config)
            groups.append(Q(index_entries__title=words_query) | Q(index_entries__body=words_query))
        if not groups:
            return None
        combine = operator.or_ if self.query.operator.lower() == "or" else operator.and_
        return functools.reduce(combine, groups)

    def _forms_query(self, forms, last):
        suffix = ":*" if last and self.LAST_TERM_IS_PREFIX else ""
        quoted = [
            "'" + form.replace("'", "''").replace("\\", "\\\\") + "'" + suffix for form in forms
        ]
        return "(" + " | ".join(quoted) + ")"

    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config=config, invert=invert)
        groups = [self._forms_query(forms, last) for forms, last in self.word_forms(query)]
        connector = " | " if query.operator.lower() == "or" else " & "
        raw = connector.join(groups)
        if invert:
            raw = f"!({raw})"
        return SearchQuery(raw, search_type="raw", config=config)


def _with_word_forms(backend, index, compiler, autocomplete, query_mixin):
    """A vendor's database backend whose index holds word forms and whose queries ask them
    (autocomplete matches prefixes as typed, without stems)."""

    class Index(StemmingIndexMixin, index):
        pass

    class QueryCompiler(query_mixin, compiler):
        pass

    class AutocompleteQueryCompiler(query_mixin, autocomplete):
        EXPAND_STEMS = False

    return type(
        f"Stemming{backend.__name__}",
        (backend,),
        {
            "index_class": Index,
            "query_compiler_class": QueryCompiler,
            "autocomplete_query_compiler_class": AutocompleteQueryCompiler,
        },
    )


@functools.cache
def _sqlite_backend_class():
    # imported here: its models exist only on SQLite
    from modelsearch.backends.database.sqlite import sqlite

    return _with_word_forms(
        sqlite.SQLiteSearchBackend,
        sqlite.SQLiteIndex,
        sqlite.SQLiteSearchQueryCompiler,
        sqlite.SQLiteAutocompleteQueryCompiler,
        SQLiteStemmingQueryMixin,
    )


@functools.cache
def _postgres_backend_class():
    from modelsearch.backends.database.postgres import postgres

    return _with_word_forms(
        postgres.PostgresSearchBackend,
        postgres.PostgresIndex,
        postgres.PostgresSearchQueryCompiler,
        postgres.PostgresAutocompleteQueryCompiler,
        PostgresStemmingQueryMixin,
    )


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks for in a backend module)
    """The database search backend of the connection's vendor, with word forms."""
    if connection.vendor == "postgresql":
        return _postgres_backend_class()(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend_class()(params)
    return backend  # MySQL, or SQLite without FTS5: Wagtail's own, without word forms
