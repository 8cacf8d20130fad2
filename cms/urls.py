from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import extensions, open_data, seo, slugs, views
from cms.api import api_router, endpoint_urls, fallback_urls

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", include(endpoint_urls())),
    path("api/v2/", api_router.urls),
    path("api/", include(fallback_urls)),
    path("healthz", views.health, name="health"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("open-data/<str:name>", open_data.serve_file, name="open_data_file"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap, name="sitemap-section"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages live under /ky/, /ru/ and /en/; "/" redirects by Accept-Language.
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("p/<int:page_id>/", slugs.short_link, name="short_link"),
    *extensions.collect(extensions.PUBLIC_URLS),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
