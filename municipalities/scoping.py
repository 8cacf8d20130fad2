"""Records scoped to municipalities: one permission policy, its form check and its views.

Wagtail's snippet permissions are per model; the programme needs them per municipality,
the way page permissions work per subtree. The page permissions are the one source of
truth: a user may touch the records of the municipalities whose pages they may edit.
A domain registers the policy for each of its scoped models (`register_permission_policy`,
in its `wagtail_hooks`) and gives them a `ScopedSnippetViewSet`; the monitoring adds a rule
for verified records (`municipalities.monitoring.access`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.models import GroupPagePermission
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from cms.admin_exports import SafeExportIndexView, SafeExportSnippetViewSet
from cms.edit_conflicts import CurrentVersionFormMixin
from municipalities.models import MunicipalityPage


def municipality_scope(user):
    """Translation keys of the municipalities a user may edit; None means all of them."""
    if not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_municipality_scope", None)
    if cached is not None:
        return cached
    paths = list(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename="change_page"
        ).values_list("page__path", flat=True)
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    scope = set(
        MunicipalityPage.objects.filter(condition).values_list("translation_key", flat=True)
    )
    user._municipality_scope = scope
    return scope


class MunicipalityScopedPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the records of the user's municipalities.

    A record names its municipality in `municipality_field`, a foreign key, or, when
    `many` is set, a many-to-many field: such a record (a material used in several places)
    is the user's only if every one of its municipalities is.
    """

    municipality_field = "municipality"
    many = False

    def __init__(self, model, municipality_field=None, many=None):
        super().__init__(model)
        if municipality_field:
            self.municipality_field = municipality_field
        if many is not None:
            self.many = many

    def municipalities_of(self, instance):
        if self.many:
            return list(getattr(instance, self.municipality_field).all()) if instance.pk else []
        municipality = getattr(instance, self.municipality_field, None)
        return [municipality] if municipality is not None else []

    def allows(self, user, municipalities):
        """May this user file a record under these municipalities?"""
        scope = municipality_scope(user)
        if scope is None:
            return True
        return bool(municipalities) and all(m.translation_key in scope for m in municipalities)

    def in_scope(self, user, instance):
        return self.allows(user, self.municipalities_of(instance))

    def scoped(self, user, queryset):
        scope = municipality_scope(user)
        if scope is None:
            return queryset
        lookup = f"{self.municipality_field}__translation_key__in"
        if not self.many:
            return queryset.filter(**{lookup: scope})
        field = queryset.model._meta.get_field(self.municipality_field)
        links = field.remote_field.through.objects
        owner = field.m2m_field_name()
        place = f"{field.m2m_reverse_field_name()}__translation_key__in"
        return queryset.filter(pk__in=links.filter(**{place: scope}).values(owner)).exclude(
            pk__in=links.exclude(**{place: scope}).values(owner)
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and (
            self.in_scope(user, instance)
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scoped(user, super().instances_user_has_any_permission_for(user, actions))


class ScopedObjectMixin:
    """For edit, delete, history and inspect views: a record outside the scope is refused."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.in_scope(self.request.user, instance):
            raise PermissionDenied
        return instance


class ScopedListingMixin:
    """For listings, their exports and choosers: only the records within the scope."""

    def get_base_queryset(self):
        return self.permission_policy.scoped(self.request.user, super().get_base_queryset())


class ScopedChooserMixin:
    def get_object_list(self):
        policy = policy_registry.get_by_type(self.model_class)
        return policy.scoped(self.request.user, super().get_object_list())


# Forms


class MunicipalityScopedForm(CurrentVersionFormMixin, WagtailAdminModelForm):
    """A record may be filed only under the municipalities its editor is assigned to; the
    record's permission policy says which those are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self._policy()
        if policy.many and policy.municipality_field in self.fields and self.for_user:
            scope = municipality_scope(self.for_user)
            if scope is not None:
                field = self.fields[policy.municipality_field]
                field.queryset = field.queryset.filter(translation_key__in=scope)

    def _policy(self):
        return policy_registry.get_by_type(self._meta.model)

    def clean(self):
        cleaned = super().clean()
        policy = self._policy()
        field = policy.municipality_field
        if field not in self.fields or self.for_user is None:
            return cleaned
        chosen = cleaned.get(field)
        if field in self.errors:
            return cleaned
        municipalities = list(chosen or []) if policy.many else [chosen] if chosen else []
        if not policy.allows(self.for_user, municipalities):
            self.add_error(
                field,
                _("Choose only the municipalities you are assigned to.")
                if municipalities
                else _("Choose at least one of the municipalities you are assigned to."),
            )
        return cleaned


# Views


class ScopedIndexView(ScopedListingMixin, SafeExportIndexView):
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


class ScopedSnippetViewSet(SafeExportSnippetViewSet):
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
