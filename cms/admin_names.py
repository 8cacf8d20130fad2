"""Names stored once, in English, and shown in the reader's language.

The programme's workflow and task, its groups and collections are stored under English
names that code looks up (`municipalities.access`, `municipalities.evidence`); those stored
names never change. `display_name()` maps a stored name, or a name built from one of the
patterns below, to its message, translated when it is shown; the variable part (an
organisation's name, a municipality's title) stays as it is. The constants here are the one
definition of each name and pattern: the domain apps build the stored names from them.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _noop

# stored names (the msgids are the stored names themselves)
APPROVAL = _noop("Programme manager approval")
PROGRAMME_MANAGERS = _noop("Programme managers")
TRANSLATORS = _noop("Translators")
# patterns: "%(name)s" is an organisation's name or a municipality's title
EDITORS = _noop("%(name)s: editors")
EVIDENCE = _noop("%(name)s: participation evidence (private)")

NAMES = (APPROVAL, PROGRAMME_MANAGERS, TRANSLATORS)
PATTERNS = (EDITORS, EVIDENCE)


def stored_name(pattern, name):
    """The name stored in the database for `name` under `pattern` (never translated)."""
    return pattern % {"name": name}


def pattern_suffix(pattern):
    """What follows the variable part: ": editors", to find stored names by their end."""
    return pattern.split("%(name)s", 1)[1]


def _match(pattern, stored):
    prefix, suffix = pattern.split("%(name)s", 1)
    if stored.startswith(prefix) and stored.endswith(suffix):
        name = stored[len(prefix) : len(stored) - len(suffix)]
        if name:
            return name
    return None


def _translated(stored):
    if stored in NAMES:
        return gettext(stored)
    for pattern in PATTERNS:
        name = _match(pattern, stored)
        if name is not None:
            return gettext(pattern) % {"name": name}
    return stored


_lazy_translated = lazy(_translated, str)


def display_name(stored):
    """The stored name as the reader reads it, computed in the language active when shown."""
    if not stored:
        return stored
    return _lazy_translated(str(stored))
