"""Admin labels in the reader's language, evaluated when shown, not when first built.

Wagtail 8.0 computes a few labels once: some with `gettext` at import (the chooser
viewsets' "Choose", "Search", "Create"; the workflow dialog's "Comment"; the snippets'
"Home" breadcrumb; the unlabelled "Password" of the login form and "Page" of a workflow's
pages), others when a
chooser widget is created, which happens when a form class is built (the snippet forms are
built once, when the admin's URLs are loaded). Whatever language is active at that moment,
often the site's default Kyrgyz, for which Wagtail has no catalogue, stays for every later
reader. `install()` (from `CmsConfig.ready()`, before Wagtail's apps build anything) gives
these places lazy texts, which Wagtail's own catalogues translate for each request.
"""

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, override
from wagtail.admin.panels import PageChooserPanel as WagtailPageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.snippets.widgets import AdminSnippetChooser

from cms import admin_names


def _interpolated(message, **values):
    """`gettext(message) % values`, computed in the language active when it is shown.

    The messages are Wagtail's own (its catalogues translate them)."""

    def text():
        return gettext(message) % {key: str(value) for key, value in values.items()}

    return lazy(text, str)()


def _page_choice(model):
    """Wagtail's "Choose a page (Municipality)", computed when it is shown."""

    def text():
        return f"{gettext('Choose a page')} ({capfirst(str(model._meta.verbose_name))})"

    return lazy(text, str)()


class LazyPageChooser(AdminPageChooser):
    """Wagtail's page chooser, whose "Choose a page (Municipality)" follows the reader."""

    def __init__(self, target_models=None, **kwargs):
        from wagtail.models import Page

        super().__init__(target_models=target_models, **kwargs)
        if "choose_one_text" in kwargs or len(self.target_models) != 1:
            return
        if self.target_models[0] is not Page:
            self.choose_one_text = _page_choice(self.target_models[0])


class LazySnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, whose "Choose organisation" follows the reader."""

    def __init__(self, model=None, **kwargs):
        super().__init__(model=model, **kwargs)
        name = self.model._meta.verbose_name
        self.choose_one_text = _interpolated("Choose %(object)s", object=name)
        self.choose_another_text = _interpolated("Choose another %(object)s", object=name)
        self.link_to_chosen_text = _interpolated("Edit this %(object)s", object=name)


# Wagtail's class attributes computed with gettext at import, and their lazy equivalents
CHOOSER_VIEWSET_TEXTS = {
    "choose_one_text": gettext_lazy("Choose"),
    "choose_another_text": gettext_lazy("Choose another"),
    "edit_item_text": gettext_lazy("Edit"),
    "search_tab_label": gettext_lazy("Search"),
    "create_action_label": gettext_lazy("Create"),
}


def _lazy_labels(build):
    """Wrap a function returning breadcrumb items so that their labels follow the reader:
    build them untranslated (the messages are Wagtail's own), translate when shown."""

    def wrapped(self):
        with override(None):
            items = build(self)
        return [
            {**item, "label": gettext_lazy(item["label"])}
            if isinstance(item.get("label"), str)
            else item
            for item in items
        ]

    return wrapped


def give_new_users_the_admin_language(sender, instance, created, raw=False, **kwargs):
    """A new account reads the admin, and its workflow e-mails, in the default admin language
    until its owner chooses another. Without it Wagtail writes to a person who never chose in
    whatever language the sender happens to use (an English-speaking manager's approval
    reaches a Russian-speaking editor in English)."""
    if not created or raw:
        return
    from django.conf import settings
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(
        user=instance, defaults={"preferred_language": settings.ADMIN_DEFAULT_LANGUAGE}
    )


def editors_read_kyrgyz(sender, instance, action, pk_set, reverse=False, **kwargs):
    """A new member of a municipality's or an NGO's editors' group, who has not signed in yet,
    reads the admin in `EDITORS_ADMIN_LANGUAGE` (Kyrgyz): municipal secretaries and NGO staff
    read it first. Somebody who has signed in keeps the language they have."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    if action != "post_add" or not pk_set:
        return
    suffix = admin_names.pattern_suffix(admin_names.EDITORS)
    if reverse:  # group.user_set.add(...); the stored name, not the one shown
        if not Group.objects.filter(pk=instance.pk, name__endswith=suffix).exists():
            return
        users = get_user_model().objects.filter(pk__in=pk_set, last_login__isnull=True)
    else:  # user.groups.add(...)
        if instance.last_login is not None:
            return
        if not Group.objects.filter(pk__in=pk_set, name__endswith=suffix).exists():
            return
        users = [instance]
    for user in users:
        UserProfile.objects.update_or_create(
            user=user, defaults={"preferred_language": settings.EDITORS_ADMIN_LANGUAGE}
        )


def install():
    from django.contrib.auth import get_user_model
    from django.db.models import ForeignKey
    from django.db.models.signals import m2m_changed, post_save
    from wagtail.admin.forms.auth import LoginForm
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.admin.viewsets.chooser import ChooserViewSet
    from wagtail.forms import TaskStateCommentForm
    from wagtail.models import AbstractPage
    from wagtail.snippets.views.chooser import SnippetChooserViewSet
    from wagtail.snippets.views.snippets import SnippetViewSet

    post_save.connect(
        give_new_users_the_admin_language,
        sender=get_user_model(),
        dispatch_uid="cms.admin_language.new_users",
    )
    m2m_changed.connect(
        editors_read_kyrgyz,
        sender=get_user_model().groups.through,
        dispatch_uid="cms.admin_language.new_editors",
    )
    for name, text in CHOOSER_VIEWSET_TEXTS.items():
        if isinstance(ChooserViewSet.__dict__.get(name), str):
            setattr(ChooserViewSet, name, text)
    SnippetChooserViewSet.base_widget_class = LazySnippetChooser
    # the snippets' "Home" (and "Snippets") breadcrumbs, passed to the views at startup
    SnippetViewSet.breadcrumbs_items = property(_lazy_labels(SnippetViewSet.breadcrumbs_items.fget))
    register_form_field_override(
        ForeignKey,
        to=AbstractPage,
        override=lambda db_field: {
            "widget": LazyPageChooser(target_models=[db_field.remote_field.model])
        },
    )
    comment = TaskStateCommentForm.base_fields["comment"]
    if isinstance(comment.label, str):
        comment.label = gettext_lazy("Comment")
    # Wagtail's login form declares its password field without a label, so Django names it
    # "Password" in English whatever the language
    password = LoginForm.base_fields["password"]
    if password.label is None:
        password.label = gettext_lazy("Password")
    # the same for the page of a workflow's "Assign to pages"
    page = WorkflowPageForm.base_fields["page"]
    if page.label is None:
        page.label = gettext_lazy("Page")


class PageChooserPanel(WagtailPageChooserPanel):
    """Wagtail's PageChooserPanel with the page chooser above: use it for `page_type`."""

    def get_form_options(self):
        opts = super().get_form_options()
        if self.page_type or self.can_choose_root:
            opts["widgets"][self.field_name] = LazyPageChooser(
                target_models=self.page_type, can_choose_root=self.can_choose_root
            )
        return opts
