"""Admin views of municipality-scoped snippets, all under one permission policy."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from municipalities.admin_forms import MunicipalityScopedForm
from municipalities.models import CouncilResolution, ParticipationRecord, PolicyAdoption
from municipalities.permissions import (
    MunicipalityScopedPolicy,
    ParticipationPermissionPolicy,
    ScopedChooserMixin,
    ScopedListingMixin,
    ScopedObjectMixin,
)

register_permission_policy(ParticipationRecord, ParticipationPermissionPolicy(ParticipationRecord))
register_permission_policy(CouncilResolution, MunicipalityScopedPolicy(CouncilResolution))
register_permission_policy(PolicyAdoption, MunicipalityScopedPolicy(PolicyAdoption))


class ScopedIndexView(ScopedListingMixin, snippet_views.IndexView):
    pass


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    """Editing checks the record itself: its municipality, and for verified records, the role."""

    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", record
        ):
            raise PermissionDenied
        return record


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", record
        ):
            raise PermissionDenied
        return record


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedChooseView(ScopedChooserMixin, snippet_chooser.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class ScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet whose rows belong to municipalities: one policy for listing, editing,
    history, choosing and exporting."""

    index_view_class = ScopedIndexView
    index_results_view_class = type(
        "ScopedIndexResultsView", (ScopedListingMixin, snippet_views.IndexView), {}
    )
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    chooser_viewset_class = ScopedChooserViewSet
    base_form_class = MunicipalityScopedForm

    def get_edit_handler(self):
        if hasattr(self, "edit_handler"):
            return super().get_edit_handler()
        handler = ObjectList(self.model.panels, base_form_class=self.base_form_class)
        return handler.bind_to_model(self.model)
