"""Django's own messages that our catalogues correct, listed so `make messages` keeps them.

Django's Kyrgyz catalogue capitalises month names, has no possessive month forms for
"2026-жылдын 21-декабры" and writes file sizes as "637бит" and "3 мегабайт". Our
locale/ky/LC_MESSAGES/django.po comes first (LOCALE_PATHS) and translates these msgids
properly; makemessages only keeps msgids it finds in our code, hence this module. Nothing
imports it at run time: Django looks these messages up itself (dates, filesizeformat).
"""

from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

# Month names: "F" in date formats ("21-декабрь").
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)

# The month as it stands in a full date, "E" ("2026-жылдын 21-декабры").
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)

# Abbreviated month names, "N" ("21-дек.").
MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)

# File sizes, as filesizeformat writes them ("637 байт", "1,2 МБ").
FILE_SIZES = (
    ngettext_lazy("%(size)d byte", "%(size)d bytes", "size"),
    gettext_lazy("%s KB"),
    gettext_lazy("%s MB"),
    gettext_lazy("%s GB"),
    gettext_lazy("%s TB"),
    gettext_lazy("%s PB"),
)
