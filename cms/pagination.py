"""Pages of a long list without counting it first.

Django's `Paginator` counts the whole list to say "page 3 of 950": nationally, the past
hearings are 19,000 rows joined with the page tree, and counting them took longer than
rendering the page. A list that only needs "previous" and "next" reads one row more than a
page instead; only an address past the end (a stale or edited link) counts, to show the
last page as Django's `get_page` does. A list that does say how many (search results, the
hearings to come) is not counted when its first page holds all of it.
"""

from django.core.paginator import Paginator

# the largest row offset a database takes (a signed 64-bit integer), far past any list
MAX_OFFSET = 2**62


class UncountedPage:
    """What the pagination include reads of a Django `Page`, without a total."""

    def __init__(self, paginator, number, rows):
        self.paginator = paginator
        self.number = number
        self.object_list = rows[: paginator.per_page]
        self._more = len(rows) > paginator.per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


class UncountedPaginator:
    """`get_page(number)` like Django's paginator; `num_pages` is None (not counted)."""

    num_pages = None

    def __init__(self, object_list, per_page):
        self.object_list = object_list
        self.per_page = per_page

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        if start > MAX_OFFSET:  # more than any database counts: past the end
            return Paginator(self.object_list, self.per_page).get_page(number)
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:  # past the end: the last page, as Django shows it
            return Paginator(self.object_list, self.per_page).get_page(number)
        return UncountedPage(self, number, rows)


class ShortListPaginator(Paginator):
    """Django's paginator, except that a first page with room to spare is the whole list, and
    its length the count: a search for a village's name made a count query that cost as much
    as the search, and one municipality's hearings to come a query for a number already
    known."""

    def get_page(self, number):
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = True  # not a number: the first page, as Django's get_page shows it
        if not first or self.orphans:
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.__dict__["count"] = len(rows)  # `count` is a cached property
        return self._get_page(rows, 1, self)
