"""Wagtail's users app, whose user forms name the groups in the reader's language."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "cms.admin_name_display.UserViewSet"
