"""What subscriptions add to the site (its addresses) and to every municipality's page.

Nothing is registered in the admin: the subscribers' addresses are personal data that
editors have no need to see."""

from django.urls import include, path, reverse
from django.utils.http import urlencode
from wagtail import hooks

from cms import extensions
from municipalities import extensions as municipality_extensions


@hooks.register(extensions.PUBLIC_URLS)
def subscription_urls():
    return [path("subscribe/", include("subscriptions.urls"))]


def subscribe_url(municipality=None):
    url = reverse("subscriptions:subscribe")
    return f"{url}?{urlencode({'municipality': municipality.slug})}" if municipality else url


@hooks.register(municipality_extensions.MUNICIPALITY_PAGE_SECTIONS)
def subscribe_on_municipality_page(page, request):
    section = municipality_extensions.PageSection(
        "subscriptions/municipality_section.html", {"url": subscribe_url(page)}, order=-10
    )
    return [section]


@hooks.register(municipality_extensions.HEARING_LISTING_SECTIONS)
def subscribe_on_hearing_listing(page, request):
    section = municipality_extensions.PageSection(
        "subscriptions/listing_section.html", {"url": subscribe_url()}
    )
    return [section]
