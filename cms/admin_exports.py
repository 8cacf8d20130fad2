"""The admin's own downloads of snippet listings ("Download XLSX/CSV").

Formula-safe: CSV cells are neutralised like every file the site writes
(`cms.tables.formula_safe`); Wagtail already types XLSX cells that look like formulas as text.

Large ones in the background: up to EXPORT_IN_REQUEST_ROWS rows the file is built in the
request as Wagtail does; above, the request records an export and queues its task
(`cms.exports`), and the user follows it on "My exports", which lists their exports and
serves them to them alone. Every snippet viewset of the project builds on this one.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import tasks
from cms.exports import BUILD_ATTRIBUTE, CONTENT_TYPES, AdminExport, build_admin_export
from cms.tables import formula_safe

# rows fetched from the database at a time while a background export writes them
CHUNK_ROWS = 2000


class FormulaSafeExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return formula_safe(value) if export_format == self.FORMAT_CSV else value


class ChunkedRows:
    """A queryset read in chunks, with the related records of its exported columns joined:
    a million rows neither sit in memory at once nor cost a query each. Wagtail's writers
    need only `model` (for the headings) and iteration."""

    def __init__(self, queryset, fields):
        self.model = queryset.model
        related = []
        for name in fields:
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:  # a method or a dotted path: read as Wagtail reads it
                continue
            if field.many_to_one or field.one_to_one:
                related.append(name)
        self.queryset = queryset.select_related(*related) if related else queryset

    def __iter__(self):
        return self.queryset.iterator(chunk_size=CHUNK_ROWS)


class BackgroundExportMixin:
    """Large exports leave the request: see the module's docstring."""

    def render_to_response(self, context, **response_kwargs):
        if not self.is_export:
            return super().render_to_response(context, **response_kwargs)
        export_format = self.request.GET.get("export")
        queryset = context["object_list"]
        build = getattr(self.request, BUILD_ATTRIBUTE, None)
        if build is not None:
            self.write_export(queryset, export_format, build)
            return HttpResponse(status=204)
        rows = queryset.count() if hasattr(queryset, "count") else len(queryset)
        if rows <= settings.EXPORT_IN_REQUEST_ROWS:
            return super().render_to_response(context, **response_kwargs)
        return self.start_background_export(export_format, rows)

    def write_export(self, queryset, export_format, build):
        """Write the spreadsheet the request would have answered into the build's file."""
        if isinstance(queryset, QuerySet):
            queryset = ChunkedRows(queryset, self.list_export)
        if export_format == self.FORMAT_CSV:
            for line in self.stream_csv(queryset):  # UTF-8 bytes, as the response sends
                build.stream.write(line)
        else:
            self.write_xlsx(queryset, build.stream)
        build.filename = f"{self.get_filename()}.{export_format}"

    def start_background_export(self, export_format, rows):
        query = self.request.GET.copy()
        query.pop("export", None)
        export = AdminExport.objects.create(
            owner=self.request.user,
            model_label=self.model._meta.label_lower,
            path=self.request.path_info,
            query_string=query.urlencode(),
            # the language the request came in (the owner's admin language, if set, wins)
            language=getattr(self.request, "LANGUAGE_CODE", ""),
            format=export_format,
            rows=rows,
            filename=f"{self.get_filename()}.{export_format}",
        )
        exports_url = reverse("cms_admin_exports")
        if tasks.queued():
            # a worker may start before this request's transaction commits
            transaction.on_commit(lambda: build_admin_export.enqueue(export.pk))
            return redirect(exports_url)
        build_admin_export.enqueue(export.pk)  # no queue: built now, in this request
        export.refresh_from_db()
        if export.is_done:
            return redirect(export.download_path())
        return redirect(exports_url)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if self.show_export_buttons:
            buttons.append(
                Button(
                    _("My exports"),
                    url=reverse("cms_admin_exports"),
                    icon_name="list-ul",
                    priority=110,
                )
            )
        return buttons


class SafeExportIndexView(BackgroundExportMixin, FormulaSafeExportMixin, snippet_views.IndexView):
    pass


class SafeExportSnippetViewSet(SnippetViewSet):
    index_view_class = SafeExportIndexView


# "My exports"


class ExportsView(WagtailAdminTemplateMixin, TemplateView):
    """The user's own exports, newest first; refreshes itself while one is being prepared."""

    template_name = "cms/admin/exports.html"
    header_icon = "download"
    refresh_seconds = 5

    @cached_property
    def exports(self):
        return list(AdminExport.objects.filter(owner=self.request.user))

    @cached_property
    def preparing(self):
        return any(export.in_progress for export in self.exports)

    def get_page_title(self):
        return _("Your export is being prepared") if self.preparing else _("My exports")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("My exports")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            exports=self.exports,
            preparing=self.preparing,
            refresh_seconds=self.refresh_seconds,
            keep_days=settings.EXPORT_KEEP_DAYS,
        )
        return context


def download_export(request, pk, filename):
    """A finished export, to its owner only: anyone else is told it does not exist."""
    export = get_object_or_404(
        AdminExport, pk=pk, owner=request.user, status=AdminExport.Status.DONE, filename=filename
    )
    try:
        handle = export.file.open("rb")
    except (OSError, ValueError) as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )
