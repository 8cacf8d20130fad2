"""Site-wide admin wiring: translation rights follow editing rights, stale translations
are pointed out, bulk publishing asks the bilingual rule, and one-language publications
read well in a page's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.documents import get_document_model
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from cms import admin_exports, autosave, bilingual, extensions, page_cache, publication_checks
from cms.documents import public_documents
from cms.models import OpenDataPage


def may_translate(user, page):
    """Whoever may edit a page may start and sync its translations; translators, who edit
    the other languages' trees, may too. Nobody else, whatever their global permissions."""
    if not user.has_perm("wagtail_localize.submit_translation"):
        return False
    if page.permissions_for_user(user).can_edit():
        return True
    parent = page.get_parent()
    if parent is None:
        return False
    return any(
        version.permissions_for_user(user).can_edit()
        for version in parent.get_translations().specific()
    )


def submit_page_translation(request, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    if not may_translate(request.user, page):
        raise PermissionDenied
    return SubmitPageTranslationView.as_view()(request, page_id=page_id)


def update_translations(request, translation_source_id):
    source = get_object_or_404(TranslationSource, id=translation_source_id)
    instance = source.get_source_instance()
    if not isinstance(instance, Page) or not may_translate(request.user, instance.specific):
        raise PermissionDenied
    return UpdateTranslationsView.as_view()(request, translation_source_id=translation_source_id)


@hooks.register("register_admin_urls")
def translation_urls():
    """Registered before wagtail-localize's own (cms comes first in INSTALLED_APPS), so these
    addresses reach the checks above first."""
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            submit_page_translation,
            name="cms_submit_page_translation",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            update_translations,
            name="cms_update_translations",
        ),
    ]


@hooks.register("before_edit_page")
def point_out_stale_translation(request, page):
    if request.method != "GET":
        return None
    translation = bilingual.active_translation(page)
    if translation is not None and translation.source.locale_id != page.locale_id:
        if bilingual.is_out_of_date(page):
            source_page = translation.source.get_source_instance()
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "The %(language)s version changed after this translation was made: "
                        "this page is out of date."
                    )
                    % {"language": bilingual.language_name(source_page.locale.language_code)},
                    reverse("wagtail_localize:update_translations", args=[translation.source_id]),
                    _("Update the translation"),
                ),
            )
        return None
    source = TranslationSource.objects.get_for_instance_or_none(page)
    if source is None:
        return None
    stale = [
        target for target in page.get_translations().specific() if bilingual.is_out_of_date(target)
    ]
    if stale:
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Out of date after your changes: %(languages)s.")
                % {
                    "languages": ", ".join(
                        str(bilingual.language_name(t.locale.language_code)) for t in stale
                    )
                },
                reverse("wagtail_localize:update_translations", args=[source.id]),
                _("Sync translated pages"),
            ),
        )
    return None


@hooks.register("before_bulk_action")
def refuse_one_language_bulk_publish(request, action_type, objects, action_class_instance):
    """Bulk publishing asks the bilingual rule for every page before it publishes any."""
    if action_type != "publish":
        return None
    problems = []
    for page in objects:
        specific = page.specific
        latest = specific.get_latest_revision()
        candidate = latest.as_object() if latest else specific
        problem = bilingual.publication_problem(candidate)
        if problem:
            problems.append(f"{specific.get_admin_display_title()}: {problem}")
    if not problems:
        return None
    for problem in problems:
        messages.error(request, problem)
    return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))


@hooks.register("register_log_actions")
def register_bilingual_log_actions(actions):
    @actions.register_action(bilingual.ONE_LANGUAGE_ACTION)
    class OneLanguagePublication(LogFormatter):
        label = _("Publish in one language")

        def format_message(self, log_entry):
            return _("Published in one language by a programme manager's decision: %(reason)s") % {
                "reason": log_entry.data.get("reason", "")
            }

    @actions.register_action(bilingual.REFUSED_ACTION)
    class RefusedPublication(LogFormatter):
        label = _("Publication refused")

        def format_message(self, log_entry):
            return _("Schedule called off, not published: %(reason)s") % {
                "reason": log_entry.data.get("reason", "")
            }


@hooks.register(extensions.SITE_SECTIONS)
def open_data_section():
    return [extensions.SiteSection(OpenDataPage, "open-data", _("Open data and API"), order=50)]


@hooks.register("before_serve_page")
def tag_cached_page(page, request, serve_args, serve_kwargs):
    page_cache.tag_page(request, page)


@hooks.register("before_serve_document")
def documents_are_public_once_public_content_uses_them(document, request):
    """A document of a draft, a fresh upload or a signed sheet is not found by a visitor who
    has its address; editors who may choose or change it open it (`cms.documents`). In a
    collection with view restrictions, Wagtail's restriction decides (a login, a group)."""
    if document.collection.get_view_restrictions().exists():
        return None
    if policy_registry.get_by_type(get_document_model()).user_has_any_permission_for_instance(
        request.user, ["change", "choose"], document
    ):
        return None
    if public_documents(type(document).objects.filter(pk=document.pk)).exists():
        return None
    raise Http404


@hooks.register("before_create_page")
def save_of_an_autosaved_add_form_edits_its_page(request, parent_page, page_class):
    """A Save (or a late autosave) of an add form whose page autosave already created updates
    that page instead of creating it again; a post arriving while another post of the same
    form is creating the page waits for it first (cms/autosave.py)."""
    if request.method != "POST" or getattr(request, "creating_add_form", False):
        return None
    request.creating_add_form = True
    with autosave.creating_once(request):
        page = autosave.page_created_by_this_form(request, parent_page, page_class)
        if page is not None:
            return EditView.as_view()(request, page_id=page.pk)
        # create the page as Wagtail does, while this form's claim is held
        return CreateView.as_view()(request, **request.resolver_match.kwargs)


@hooks.register("after_create_page")
def remember_the_add_form(request, page):
    autosave.remember_created_page(request, page)


@hooks.register("after_edit_page")
@hooks.register("after_publish_page")
def draft_saved_on_purpose(request, page):
    autosave.saved_on_purpose(request, page)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def record_going_ahead_despite_warnings(request, page):
    """Submit or Publish went ahead despite the page's warnings: the history says who and why."""
    decision = getattr(request, "publication_override", None)
    if decision is not None:
        step, reason = decision
        publication_checks.record(page.specific, request.user, step, reason, request)


@hooks.register("register_log_actions")
def register_publication_check_actions(actions):
    @actions.register_action(publication_checks.ACTION)
    class WentAheadDespiteWarnings(LogFormatter):
        label = _("Went ahead despite the warnings")

        def format_message(self, log_entry):
            return _("Went ahead despite the warnings (%(warnings)s): %(reason)s") % {
                "warnings": " ".join(log_entry.data.get("warnings", [])),
                "reason": log_entry.data.get("reason", ""),
            }


@hooks.register("register_admin_urls")
def export_urls():
    """Large listing exports, prepared in the background (cms/admin_exports.py)."""
    return [
        path("exports/", admin_exports.ExportsView.as_view(), name="cms_admin_exports"),
        path(
            # ends with the file's name: the browser saves it so, and a 404 stays a 404
            # (SiteLocaleMiddleware sends a path that could be a page to the public tree)
            "exports/<int:pk>/<str:filename>",
            admin_exports.download_export,
            name="cms_admin_export_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def exports_menu_item():
    return MenuItem(_("My exports"), reverse("cms_admin_exports"), icon_name="download", order=8500)
