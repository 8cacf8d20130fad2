"""Russian formats: Django's own, except that a day and month read "21 декабря"."""

from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"  # 21 декабря (Django's "j F" gives "21 Декабрь")
