"""The site's URLs plus one view that fails, to see the 500 page a visitor would get."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from cms.urls import handler404, handler500, urlpatterns  # noqa: F401


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = i18n_patterns(path("broken/", broken_view)) + urlpatterns
