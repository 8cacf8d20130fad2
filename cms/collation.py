"""Kyrgyz alphabetical order, the same on PostgreSQL and on the embedded SQLite.

Sorting by code point puts Ө, Ү and Ң after Я, so "Өрүктү" came after "Ырдык". Kyrgyz
order is А Б В Г Д Е Ё Ж З И Й К Л М Н Ң О Ө П Р С Т У Ү Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я.

Both databases know a collation named `COLLATION`:

- PostgreSQL: ICU's Kyrgyz collation (locale "ky-KG"), created by migration
  cms/0004_kyrgyz_collation (a no-op on other databases);
- SQLite: `compare` below, registered on every new connection (`register`, connected in
  cms/apps.py): case-insensitive, spaces before hyphens before digits before letters, the
  Kyrgyz alphabet, then Latin letters, then anything else by code point.

`kyrgyz_order("title")` is the expression to put in `order_by()`; `sort_key(text)` sorts
Python lists the same way. Russian pages use the same order: the Russian letters stand in
the same relative order in the Kyrgyz alphabet, and Ө Ү Ң in Russian-spelled names sort
where a Kyrgyz reader looks for them.
"""

from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate

COLLATION = "kyrgyz"
ALPHABET = "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"

_RANK = {" ": 1, "-": 2}
_RANK.update({digit: 10 + int(digit) for digit in "0123456789"})
_RANK.update({letter: 100 + index for index, letter in enumerate(ALPHABET)})
_RANK.update({letter: 200 + index for index, letter in enumerate(LATIN)})
_OTHER = 1000  # then by code point


@lru_cache(maxsize=16384)
def sort_key(text):
    """A key for sorted(): Kyrgyz alphabet, case-insensitive, ties broken by case then text.
    Kept per text: the same few thousand place names are sorted on every dashboard."""
    text = text or ""
    primary = tuple(_RANK.get(char, _OTHER + ord(char)) for char in text.lower())
    # Lower case first on a tie, as ICU does: "ак-суу" before "Ак-Суу".
    return primary, tuple(not char.islower() for char in text), text


def compare(left, right):
    """SQLite collation callback: negative, zero or positive like strcmp."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def kyrgyz_order(field, descending=False):
    """An order_by() expression sorting the text field `field` in Kyrgyz order."""
    expression = Collate(F(field), COLLATION)
    return expression.desc() if descending else expression.asc()


def sorted_kyrgyz(items, key=str):
    """Python-side sort of already-fetched items by `key(item)` in Kyrgyz order."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def register(sender, connection, **kwargs):
    """connection_created receiver: give every SQLite connection the Kyrgyz collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
