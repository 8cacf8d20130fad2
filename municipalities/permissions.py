"""Who may change participation records: once verified, only programme managers."""

from wagtail.permission_policies import ModelPermissionPolicy

from municipalities.choices import RecordStatus
from municipalities.models.participation import VERIFY_PERMISSION


class ParticipationPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if (
            action in ("change", "delete")
            and instance.status == RecordStatus.VERIFIED
            and not user.has_perm(VERIFY_PERMISSION)
        ):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)
