"""The admin's own CSV downloads (snippet listings' "Download CSV") are formula-safe, like
every file the site writes (`cms.tables.formula_safe`); Wagtail already types XLSX cells
that look like formulas as text. Every snippet viewset of the project builds on this one."""

from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.tables import formula_safe


class FormulaSafeExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return formula_safe(value) if export_format == self.FORMAT_CSV else value


class SafeExportIndexView(FormulaSafeExportMixin, snippet_views.IndexView):
    pass


class SafeExportSnippetViewSet(SnippetViewSet):
    index_view_class = SafeExportIndexView
