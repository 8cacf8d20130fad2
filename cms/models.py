"""Site-wide pages and settings: the home page, generic content pages, the demo flag."""

from django.conf import settings
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import extensions, open_data, routing
from .bilingual import BilingualPage
from .blocks import BodyBlock
from .documents import validate_document_file
from .edit_conflicts import CurrentVersionPageForm
from .exports import AdminExport
from .seo import plain_text
from .translated import LANGUAGE_NAMES
from .workflows import BilingualApprovalTask

__all__ = ["AdminExport", "BilingualApprovalTask", "BilingualPage"]


class HomePage(Page):
    """The root of one language's tree (ky is the source; ru and en are its translations)."""

    base_form_class = CurrentVersionPageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body")]

    # under it: the sections and pages whose `parent_page_types` name the home page
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        # every page along the address read at once (cms/routing.py)
        return routing.route(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = sorted(
            extensions.collect(extensions.HOME_PAGE_SECTIONS, self, request),
            key=lambda section: section.order,
        )
        context["lead_sections"] = [section for section in sections if section.order < 0]
        context["sections"] = [section for section in sections if section.order >= 0]
        return context


class StandardPage(Page):
    """A generic content page: about the programme, how to take part, contacts."""

    # shows itself and its ancestors only: no other page's publication changes it
    # (cms.page_cache)
    cache_depends_on = ()

    base_form_class = CurrentVersionPageForm

    intro = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Editable site-wide switches; one row per Wagtail site."""

    min_notice_days = models.PositiveSmallIntegerField(
        _("minimum notice for public hearings (days)"),
        default=10,
        help_text=_(
            "Editors are warned when a hearing notice is published fewer days than this "
            "before the hearing."
        ),
    )
    demo_mode = models.BooleanField(
        _("show the demo-content notice"),
        default=False,
        help_text=_(
            "Shows a notice on every public page that the content is demonstration data. "
            "Switch off when real content is published."
        ),
    )

    panels = [FieldPanel("min_notice_days"), FieldPanel("demo_mode")]

    class Meta:
        verbose_name = _("site settings")


class DocumentLanguage(models.TextChoices):
    """The language a document or a campaign material is in: a scanned resolution is often
    Kyrgyz only, a poster often both."""

    KYRGYZ = "ky", LANGUAGE_NAMES["ky"]
    RUSSIAN = "ru", LANGUAGE_NAMES["ru"]
    KYRGYZ_AND_RUSSIAN = "ky_ru", _("Kyrgyz and Russian")
    ENGLISH = "en", LANGUAGE_NAMES["en"]


class SiteDocument(AbstractDocument):
    """Wagtail's document, with uploads checked by content and size (see `documents.py`),
    and the language it is written in, so that a page in another language can say so."""

    file = models.FileField(
        upload_to="documents", verbose_name=_("file"), validators=[validate_document_file]
    )
    language = models.CharField(
        _("language of the document"),
        max_length=5,
        choices=DocumentLanguage.choices,
        blank=True,
        help_text=_("Readers of a page in another language are told which language it is in."),
    )

    admin_form_fields = ("title", "file", "collection", "language", "tags")

    def readable_in(self, language_code):
        """Can a reader of this language read it? Unknown language counts as readable."""
        return not self.language or language_code in self.language.split("_")

    def save(self, *args, **kwargs):
        # the admin's upload form measures the file; seed commands and imports do not
        if self.file and self.file_size is None:
            self._set_document_file_metadata()
        super().save(*args, **kwargs)

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class SectionPage(RoutablePageMixin, Page):
    """A site-wide section under each home page (hearings, indicators, coverage, campaigns,
    open data): one per language tree, an editable introduction, its views as routes."""

    base_form_class = CurrentVersionPageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True


class OpenDataPage(SectionPage):
    """The bulk download (a ZIP of CSV files described by datapackage.json) and the API's
    human-readable description, at /<lang>/open-data/ and /<lang>/open-data/api/."""

    class Meta:
        verbose_name = _("open data page")
        verbose_name_plural = _("open data pages")

    # the API described for people is a page of its own, listed in the sitemap (`cms.seo`)
    sitemap_routes = ("api",)

    def seo_summary(self):
        return plain_text(self.intro) or _(
            "Open data of the pilot municipalities: hearings, budgets, plans, campaigns, "
            "participation and indicators as CSV files in one download, and a JSON API."
        )

    @path("", name="index")
    def index(self, request):
        archive = open_data.archive_path()
        return self.render(
            request,
            context_overrides={
                "resources": open_data.registered_tables(),
                "other_files": open_data.registered_files(),
                "archive_size": archive.stat().st_size,
                "archive_sha256": open_data.archive_sha256(archive),
            },
        )

    @path("download/", name="archive")
    def archive(self, request):
        archive = open_data.archive_path()
        response = FileResponse(archive.open("rb"), as_attachment=True, filename="open-data.zip")
        response["Cache-Control"] = "public, max-age=300"
        response["ETag"] = f'"{archive.stem}"'
        return response

    @path("api/", name="api")
    def api(self, request):
        # deferred: Wagtail's API views read the models, not loaded while this module loads
        from cms.api import openapi

        return self.render(
            request,
            template="cms/api_page.html",
            context_overrides={"openapi": openapi.document(request)},
        )


class AutosavedDraft(models.Model):
    """A page created by Wagtail's autosave of an add form, so that a later Save of that same
    form updates it, and a draft nobody saved on purpose can be told from one somebody did."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    add_form = models.UUIDField(_("add form"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    saved_on_purpose = models.BooleanField(_("saved on purpose"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")


class AddFormClaim(models.Model):
    """An add form being saved at this moment: a second post of the same form (a Save pressed
    while the autosave that creates the page is still on its way) waits for the first instead
    of creating the page twice (cms/autosave.py)."""

    add_form = models.UUIDField(_("add form"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("add form being saved")
        verbose_name_plural = _("add forms being saved")
