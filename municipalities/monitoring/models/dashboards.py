"""The public pages of the programme's figures: indicators and coverage."""

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path

from cms.models import SectionPage
from cms.seo import plain_text


class IndicatorsPage(SectionPage):
    """The three indicators with targets, breakdowns, the records behind them and exports."""

    class Meta:
        verbose_name = _("indicators page")
        verbose_name_plural = _("indicators pages")

    # a page of its own for a reader, listed in the sitemap (`cms.seo`)
    sitemap_routes = ("records",)

    def seo_summary(self):
        return plain_text(self.intro) or _(
            "The programme's indicators: how many women and men took part in public hearings "
            "and trainings, targets and progress, and the verified records behind each figure."
        )

    @path("", name="dashboard")
    def dashboard(self, request):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.indicators(request, self)

    @path("records/", name="records")
    def records(self, request):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.records(request, self)

    @path("export/<str:fmt>/", name="export")
    def export(self, request, fmt):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.export_indicators(request, self, fmt)

    @path("records/export/<str:fmt>/", name="records_export")
    def records_export(self, request, fmt):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.export_records(request, self, fmt)

    @path("reports/<int:pk>/", name="report")
    def report(self, request, pk):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.period_report(request, self, pk)

    @path("reports/<int:pk>/xlsx/", name="report_xlsx")
    def report_xlsx(self, request, pk):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.period_report_xlsx(request, self, pk)


class CoveragePage(SectionPage):
    """Which municipality received what: the coverage matrix, also as CSV."""

    class Meta:
        verbose_name = _("coverage page")
        verbose_name_plural = _("coverage pages")

    def seo_summary(self):
        return plain_text(self.intro) or _(
            "Which pilot municipality received what: trainings, consultations, public "
            "hearings, campaigns, draft plans and budgets, resolutions and policies."
        )

    @path("", name="matrix")
    def matrix(self, request):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.coverage(request, self)

    @path("csv/", name="csv")
    def csv(self, request):
        # deferred: the views import these models (the routes call them)
        from municipalities.monitoring import views as dashboard_views

        return dashboard_views.coverage_csv(request, self)
