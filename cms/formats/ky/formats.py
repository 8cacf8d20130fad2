"""Kyrgyz date and number formats, replacing Django's own `ky` formats.

Long dates follow the usual written Kyrgyz form "2026-жылдын 21-декабры": the year with
"-жылдын", the day with a hyphen and the month in its possessive form. Month names are
lower-case. The possessive forms are the "alt. month" translations ("E" below) and the
plain names ("F") the nominative ones, both in locale/ky/LC_MESSAGES/django.po, which
takes precedence over Django's catalogue. A long date never ends with an abbreviation
point ("ж."), so a sentence that ends with a date gets exactly one full stop.
"""

DATE_FORMAT = "Y-жылдын j-E"  # 2026-жылдын 21-декабры
TIME_FORMAT = "G:i"  # 14:00
DATETIME_FORMAT = "Y-жылдын j-E, G:i"  # 2026-жылдын 21-декабры, 14:00
YEAR_MONTH_FORMAT = "Y-жылдын E"  # 2026-жылдын декабры
MONTH_DAY_FORMAT = "j-F"  # 21-декабрь
SHORT_DATE_FORMAT = "d.m.Y"  # 21.12.2026
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 21.12.2026 14:00
FIRST_DAY_OF_WEEK = 1  # Monday (дүйшөмбү)

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 21.12.2026
    "%d.%m.%y",  # 21.12.26
    "%Y-%m-%d",  # 2026-12-21
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

# 1 234 567,8: a no-break space between thousands, a decimal comma.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
