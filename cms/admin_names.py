"""Names stored once, in English, and shown in the reader's language.

The programme's workflow and task, its groups and collections are stored under English
names that code looks up (`municipalities.monitoring.access` and `.evidence`); those stored
names never change. `display_name()` maps a stored name, or a name built from one of the
patterns below, to its message, translated when it is shown; the variable part (an
organisation's name, a municipality's title) stays as it is. The constants here are the one
definition of each name and pattern: the domain apps build the stored names from them.
"""

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, override
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
    """The stored name as the reader reads it, computed in the language active when shown.
    The result remembers the stored name (`stored_of()`), for what is saved."""
    if not stored or isinstance(stored, Promise):
        return stored
    shown = _lazy_translated(str(stored))
    shown.stored = str(stored)
    return shown


def stored_of(value):
    """The stored name behind a display name (or `value` itself): what logs and saves keep."""
    return getattr(value, "stored", value)


def is_known(stored):
    """Whether `stored` is one of the names above or built from one of the patterns."""
    return stored in NAMES or any(_match(pattern, stored) is not None for pattern in PATTERNS)


def _every_display(stored):
    languages = {code for code, _name in settings.LANGUAGES}
    permitted = getattr(settings, "WAGTAILADMIN_PERMITTED_LANGUAGES", ())
    languages.update(code for code, _name in permitted)
    shown = set()
    for language in languages:
        with override(language):
            shown.add(_translated(stored))
    return shown


def show_name_in_readers_language(sender, instance, **kwargs):
    """`post_init`: a known stored `name` becomes its display name, computed in the language
    active when it is printed, so every screen, dialog, e-mail and form that prints
    `workflow.name`, `task.name`, `group.name` or `collection.name` reads it in the reader's
    language. Code finds these objects by querying the stored names, which never change."""
    stored = instance.__dict__.get("name")
    if isinstance(stored, str) and is_known(stored):
        instance.__dict__["name"] = display_name(stored)
        instance.__dict__["_stored_name"] = stored


def keep_stored_name(sender, instance, **kwargs):
    """`pre_save`: an unchanged display name, or the name as some reader's form showed it
    (a settings form saved without renaming), is saved as the stored name."""
    name = instance.__dict__.get("name")
    stored = getattr(name, "stored", None)
    if stored is not None:
        instance.__dict__["name"] = stored
        return
    previous = instance.__dict__.get("_stored_name")
    if previous and name in _every_display(previous):
        instance.__dict__["name"] = previous


def show_saved_name(sender, instance, **kwargs):
    """`post_save`: the saved object shows its name in the reader's language again."""
    show_name_in_readers_language(sender, instance)


def stored_names_in(data):
    """Log entry data with display names replaced by the stored ones (`pre_save` of log
    entries): the history keeps the stored name and shows it in each reader's language."""
    if isinstance(data, dict):
        return {key: stored_names_in(value) for key, value in data.items()}
    if isinstance(data, list):
        return [stored_names_in(value) for value in data]
    return stored_of(data)


def display_names_in(data):
    """Log entry data with every stored workflow or task title shown in the reader's
    language."""
    if isinstance(data, dict):
        return {
            key: display_name(value)
            if key == "title" and isinstance(value, str)
            else display_names_in(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [display_names_in(value) for value in data]
    return data
