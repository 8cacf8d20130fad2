"""The monitoring's admin wiring and contributions to the site, in one place: the records,
organisations, policies and reporting periods with their life-cycle actions, import and
sharing screens, the managers' dashboard panels, the API endpoints, the open-data files, the
verified participants per municipality and the demo records.

Imported by `MunicipalitiesConfig.ready()` (Wagtail looks for `wagtail_hooks` in the app's
package only).
"""

from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms import admin_names, extensions
from cms.admin_exports import SafeExportSnippetViewSet
from municipalities.extensions import MUNICIPALITY_FIGURES
from municipalities.monitoring import (
    access,
    admin_panels,
    admin_views,
    api,
    demo,
    evidence,
    iati,
    open_data,
    record_actions,
    sharing_views,
    submissions,
    work_plan,
)
from municipalities.monitoring.forms import ParticipationRecordForm
from municipalities.monitoring.models import (
    APIToken,
    CoveragePage,
    IndicatorsPage,
    Organisation,
    ParticipationRecord,
    PolicyAdoption,
    ReportingPeriod,
)
from municipalities.scoping import MunicipalityScopedPolicy, ScopedSnippetViewSet

# Participation records, organisations, policies, reporting periods

register_permission_policy(
    ParticipationRecord, access.ParticipationPermissionPolicy(ParticipationRecord)
)
register_permission_policy(PolicyAdoption, MunicipalityScopedPolicy(PolicyAdoption))


class ParticipationRecordViewSet(ScopedSnippetViewSet):
    model = ParticipationRecord
    icon = "group"
    menu_label = _("Participation")
    add_view_class = admin_views.PrefilledRecordCreateView
    edit_handler = ObjectList(
        [
            record_actions.ReturnCommentPanel(heading=_("Sent back to you")),
            *ParticipationRecord.panels,
            FieldPanel("confirm_not_duplicate"),
        ],
        base_form_class=ParticipationRecordForm,
    )
    list_display = [
        "__str__",
        "women",
        "men",
        "not_recorded",
        "status",
        "organisation",
        "changed_since_report",
    ]
    list_filter = ["status", "kind", "organisation"]
    list_export = [
        "municipality",
        "kind",
        "held_on",
        "women",
        "men",
        "not_recorded",
        "young_people",
        "persons_with_disabilities",
        "organisation",
        "status",
        "verified_at",
    ]
    ordering = ["-held_on"]


class OrganisationViewSet(SafeExportSnippetViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    list_display = ["name", "name_ru", "short_name"]
    search_fields = ["name"]


class PolicyAdoptionViewSet(ScopedSnippetViewSet):
    model = PolicyAdoption
    icon = "clipboard-list"
    menu_label = _("Policies in force")
    list_display = ["__str__", "resolution", "in_force_from", "ended_on"]
    list_export = [
        "municipality",
        "resolution",
        "in_force_from",
        "ended_on",
        "services",
        "services_ru",
    ]


class ReportingPeriodViewSet(SafeExportSnippetViewSet):
    model = ReportingPeriod
    icon = "date"
    menu_label = _("Reporting periods")
    list_display = [
        "name",
        "name_ru",
        "start",
        "end",
        "closed_at",
        "fingerprint",
        "changes_since_report",
    ]


class APITokenCreateView(snippet_views.CreateView):
    """Creates the token and shows its secret once, on a page of its own (never in a
    message, which a browser may keep)."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.created_by = self.request.user
        self.secret = instance.issue()
        instance.save()
        return instance

    def save_action(self):
        return TemplateResponse(
            self.request,
            "municipalities/admin/token_created.html",
            {
                "token": self.object,
                "secret": self.secret,
                "index_url": reverse(self.index_url_name),
            },
        )


class APITokenViewSet(SafeExportSnippetViewSet):
    model = APIToken
    icon = "key"
    menu_label = _("API tokens")
    list_display = ["name", "organisation", "hint", "active", "created_at", "last_used_at"]
    add_view_class = APITokenCreateView
    panels = [FieldPanel("name"), FieldPanel("organisation"), FieldPanel("active")]


class ProgrammeViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "group"
    menu_order = 250
    items = (
        ParticipationRecordViewSet,
        OrganisationViewSet,
        PolicyAdoptionViewSet,
        ReportingPeriodViewSet,
        APITokenViewSet,
    )


register_snippet(ProgrammeViewSetGroup)


@hooks.register("register_admin_urls")
def register_programme_urls():
    return [
        path(
            "participation/<int:pk>/submit/", admin_views.submit_record, name="participation_submit"
        ),
        path(
            "participation/<int:pk>/verify/", admin_views.verify_record, name="participation_verify"
        ),
        path(
            "participation/<int:pk>/send-back/",
            admin_views.send_back_record,
            name="participation_send_back",
        ),
        path(
            "participation/<int:pk>/withdraw/",
            admin_views.withdraw_record,
            name="participation_withdraw",
        ),
        path("reporting-periods/<int:pk>/close/", admin_views.close_period, name="period_close"),
        path("sharing/", admin_views.sharing, name="programme_sharing"),
        path(
            "sharing/<slug:kind>/<int:pk>/members/",
            sharing_views.sharing_members,
            name="programme_sharing_members",
        ),
        path("participation/import/", admin_views.import_records_view, name="participation_import"),
        path(
            "participation/import/template.<str:fmt>",
            admin_views.import_template,
            name="participation_import_template",
        ),
    ]


@hooks.register("register_admin_menu_item")
def participation_import_menu_item():
    return MenuItem(
        _("Import participation"),
        reverse("participation_import"),
        icon_name="upload",
        order=260,
    )


class SharingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(access.SHARING_PERMISSION)


@hooks.register("register_admin_menu_item")
def sharing_menu_item():
    return SharingMenuItem(
        _("Sharing"), reverse("programme_sharing"), icon_name="lock-open", order=265
    )


@hooks.register("register_snippet_listing_buttons")
def life_cycle_buttons(snippet, user, next_url=None):
    if isinstance(snippet, ParticipationRecord):
        for priority, (label, url, _icon) in enumerate(
            record_actions.step_links(user, snippet), start=10
        ):
            yield Button(label, url, priority=priority)
    if isinstance(snippet, ReportingPeriod) and not snippet.is_closed:
        if user.has_perm("municipalities.close_reportingperiod"):
            yield Button(
                _("Close the period"), reverse("period_close", args=[snippet.pk]), priority=10
            )


def _life_cycle_menu_item(item):
    def menu_item(model):
        return item if issubclass(model, ParticipationRecord) else None

    return menu_item


# the record's own edit form offers the same steps as the listing's "…" menu
for _item in record_actions.menu_items():
    hooks.register("register_snippet_action_menu_item", _life_cycle_menu_item(_item))


@hooks.register("before_edit_page")
def show_the_request_for_changes(request, page):
    """A page sent back by its reviewer says why, who asked and when, above its form."""
    if request.method == "GET":
        admin_panels.warn_of_request_for_changes(request, page)


@hooks.register("register_log_actions")
def register_participation_actions(actions):
    actions.register_action(
        "participation.submit", _("Submit for verification"), _("Submitted for verification")
    )
    actions.register_action("participation.verify", _("Verify"), _("Verified"))
    actions.register_action("participation.send_back", _("Send back"), _("Sent back"))
    actions.register_action("participation.withdraw", _("Withdraw"), _("Withdrawn"))


hooks.register("construct_homepage_panels", work_plan.add_work_plan_panel)


@hooks.register("construct_homepage_panels")
def programme_manager_panels(request, panels):
    admin_panels.dashboard_panels(request, panels)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def rights_follow_the_organisations_assignment(request, instance):
    """Saving an organisation is the sharing tab: its editors' rights follow at once."""
    if isinstance(instance, Organisation):
        access.grant_organisation(instance, user=request.user)


@hooks.register("register_log_actions")
def register_access_actions(actions):
    actions.register_action("programme.grant_access", _("Grant access"), _("Access granted"))
    actions.register_action("programme.revoke_access", _("Revoke access"), _("Access revoked"))

    @actions.register_action("programme.add_member")
    class AddMember(MembershipChange):
        label = _("Add to an editors' group")
        template = _("%(member)s added to “%(group)s”")

    @actions.register_action("programme.remove_member")
    class RemoveMember(MembershipChange):
        label = _("Remove from an editors' group")
        template = _("%(member)s removed from “%(group)s”")

    @actions.register_action("programme.create_user")
    class CreateUser(MembershipChange):
        label = _("Open an account")
        template = _("Account opened for “%(group)s”")


class MembershipChange(LogFormatter):
    """Whom a manager put in or took out of which group; the group in the reader's language."""

    template = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return self.template % {
            "member": data.get("member", ""),
            "group": admin_names.display_name(data.get("group", "")),
        }


@hooks.register(extensions.PRIVATE_COLLECTION_PATHS)
def private_collection_paths():
    return evidence.restricted_collection_paths()


@hooks.register(extensions.API_ENDPOINTS)
def api_endpoints():
    return [
        *api.ENDPOINTS,
        submissions.ParticipationSubmissionEndpoint,
        submissions.HearingDraftEndpoint,
    ]


@hooks.register(extensions.OPEN_DATA_TABLES)
def open_data_tables():
    return open_data.tables()


@hooks.register(extensions.OPEN_DATA_STATE)
def open_data_state():
    return open_data.state()


@hooks.register(extensions.OPEN_DATA_FILES)
def open_data_files():
    return [
        extensions.OpenDataFile(
            "iati-activities.xml",
            _("The programme's results in the IATI standard"),
            _(
                "The activity, its partners and municipalities, and the three indicators with "
                "their targets and values per reporting period (IATI 2.03 XML, for donors' "
                "systems)."
            ),
            iati.IATI_CONTENT_TYPE,
            iati.activity_file,
            order=10,
        )
    ]


@hooks.register(MUNICIPALITY_FIGURES)
def verified_participants():
    return [open_data.PARTICIPANTS]


@hooks.register(extensions.DEMO_CONTENT, order=15)  # after the municipalities' demo
def monitoring_demo(locales, report):
    demo.load_monitoring_demo(locales, report)


@hooks.register(extensions.SITE_SECTIONS)
def sections():
    return [
        extensions.SiteSection(IndicatorsPage, "indicators", _("Indicators"), order=20),
        extensions.SiteSection(CoveragePage, "coverage", _("Who received what"), order=30),
    ]
