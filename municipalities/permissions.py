"""One permission policy for every municipality-scoped record.

Wagtail's snippet permissions are per model; the programme needs them per municipality,
the way page permissions work per subtree. The page permissions are the one source of
truth: a user may touch the records of the municipalities whose pages they may edit.
Participation records add one rule: once verified, only programme managers change them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.models import GroupPagePermission
from wagtail.permission_policies import ModelPermissionPolicy

from municipalities.choices import RecordStatus
from municipalities.models.participation import VERIFY_PERMISSION


def municipality_scope(user):
    """Translation keys of the municipalities a user may edit; None means all of them."""
    if not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_municipality_scope", None)
    if cached is not None:
        return cached
    from municipalities.models import MunicipalityPage

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


class ParticipationPermissionPolicy(MunicipalityScopedPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if (
            action in ("change", "delete")
            and instance.status == RecordStatus.VERIFIED
            and not user.has_perm(VERIFY_PERMISSION)
        ):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


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
        from wagtail.permissions import policy_registry

        policy = policy_registry.get_by_type(self.model_class)
        return policy.scoped(self.request.user, super().get_object_list())
