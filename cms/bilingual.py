"""Kyrgyz and Russian go live together.

The programme promises its notices, budgets, plans and campaigns "in Kyrgyz and Russian".
Pages of the types that mix in `BilingualPage` are held to that on every road to
publication (the Publish button, workflow approval, scheduled go-live, bulk actions,
management commands), because the rule sits in `publish()`, which every road calls:

- a page in one of the paired languages goes live only if its version in the other one
  exists and is translated (wagtail-localize's progress is complete, or it is edited by hand);
- publishing one publishes the other's pending changes in the same transaction, so a
  manager's one approval makes both languages live;
- a programme manager may publish one language alone, as an explicit choice with a reason
  that the audit log keeps (who, when, why); nobody gets it by default.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.log_actions import log
from wagtail.models import Page

from cms import publication_checks
from cms.edit_conflicts import CurrentVersionPageForm
from cms.translated import LANGUAGE_NAMES

PAIRED_LANGUAGES = ("ky", "ru")
ONE_LANGUAGE_ACTION = "cms.publish_one_language"
REFUSED_ACTION = "cms.publish_refused"

# translation_keys of the pages being published together right now
_publishing_pair = ContextVar("publishing_pair", default=frozenset())
# (user id, reason) of a manager's explicit decision to publish one language alone
_override = ContextVar("one_language_override", default=None)
# scheduled go-live has nobody to tell: a refused page is logged and left as it is
_skip_refused = ContextVar("skip_refused", default=False)


class OneLanguageRefused(PermissionDenied):
    """Publishing would put a page out in one paired language only."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def is_programme_manager(user):
    """The one test of who may decide to publish one language alone."""
    return bool(user) and (
        user.is_superuser or user.groups.filter(name=settings.PROGRAMME_MANAGERS_GROUP).exists()
    )


def language_name(code):
    return LANGUAGE_NAMES.get(code, code)


def other_language(page):
    code = page.locale.language_code
    if code not in PAIRED_LANGUAGES:
        return None
    return next(other for other in PAIRED_LANGUAGES if other != code)


def counterpart(page):
    """The page's version in the other paired language, or None."""
    other = other_language(page)
    if other is None or not page.pk:
        return None
    found = page.get_translations().filter(locale__language_code=other).first()
    return found.specific if found else None


def active_translation(page):
    """wagtail-localize's synced translation that fills this page, if any."""
    from wagtail_localize.models import Translation

    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )


def untranslated_count(page):
    """How many texts of a synced translation still wait for their translation."""
    translation = active_translation(page)
    if translation is None or translation.source.locale_id == page.locale_id:
        return 0
    total, done = translation.get_progress()
    return total - done


def is_out_of_date(page):
    """A synced translation whose source changed after it was last synced."""
    translation = active_translation(page)
    if translation is None:
        return False
    source = translation.source.get_source_instance()
    latest = source.latest_revision
    return bool(latest and latest.created_at > translation.source.last_updated_at)


def publication_problem(page):
    """Why this page may not go live now, in words for its editor; None when it may."""
    other = other_language(page)
    if other is None or not getattr(page, "bilingual_required", False):
        return None
    pair = counterpart(page)
    if pair is None:
        return _(
            "This page is published in Kyrgyz and Russian together, and the %(language)s "
            "version does not exist yet: translate it first (“Translate this page”), or save "
            "a draft. A programme manager may publish one language alone, giving a reason."
        ) % {"language": language_name(other)}
    for version in (pair, page):  # either may be the translation still being filled in
        left = untranslated_count(version)
        if left:
            return _(
                "This page is published in Kyrgyz and Russian together, and %(count)s texts of "
                "the %(language)s version are not translated yet: finish the translation first. "
                "A programme manager may publish one language alone, giving a reason."
            ) % {"count": left, "language": language_name(version.locale.language_code)}
    return None


@contextmanager
def one_language_allowed(user, reason):
    """A manager's recorded decision to let the next publication go out in one language."""
    token = _override.set((getattr(user, "pk", None), str(reason)))
    try:
        yield
    finally:
        _override.reset(token)


@contextmanager
def skipping_refused():
    token = _skip_refused.set(True)
    try:
        yield
    finally:
        _skip_refused.reset(token)


def _publish_pending(pair, user):
    """Put the other language's latest content live, translated by wagtail-localize or not."""
    translation = active_translation(pair)
    if translation is not None and translation.source.locale_id != pair.locale_id:
        translation.save_target(user=user, publish=True)
        return
    if pair.live and not pair.has_unpublished_changes:
        return
    revision = pair.get_latest_revision() or pair.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)


def _decided_before(page, revision):
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(
        page=page, action=ONE_LANGUAGE_ACTION, data__revision=revision.pk
    ).exists()


def override_field():
    return forms.BooleanField(
        label=_("Publish without the other language (programme managers only)"),
        required=False,
    )


def reason_field():
    return publication_checks.reason_field(_("Why this page goes out in one language"))


class Decision(NamedTuple):
    problem: object  # what to tell the person, or None
    reason: str | None  # a programme manager's reason to publish one language alone
    field: str | None  # the form field the problem belongs to


def one_language_decision(page, user, data):
    """The rule as the Publish button and workflow approval ask it, with the override fields
    (`override_field`, `reason_field`) as submitted: a form's cleaned data or the workflow
    dialog's JSON."""
    problem = publication_problem(page)
    if problem is None:
        return Decision(None, None, None)
    override = str(data.get("publish_without_other_language", "")).lower() in {"true", "on", "1"}
    reason = str(data.get("one_language_reason") or "").strip()
    if override and is_programme_manager(user):
        if not reason:
            return Decision(
                _("Say why this page goes out in one language."), None, "one_language_reason"
            )
        return Decision(None, reason, None)
    return Decision(problem, None, None)


class BilingualPageForm(CurrentVersionPageForm):
    """The Publish button asks the rule before anything is saved, and offers managers the
    explicit one-language decision. Submit and Publish also stop on the page type's
    warnings (`cms.publication_checks`) until the person says why it goes ahead anyway."""

    publish_without_other_language = override_field()
    one_language_reason = reason_field()
    publish_despite_warnings = publication_checks.acknowledge_field()
    warnings_reason = publication_checks.reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_programme_manager(self.for_user):
            # only a manager may make the decision: nobody else is offered the controls
            del self.fields["publish_without_other_language"]
            del self.fields["one_language_reason"]
        if publication_checks.checks(self.instance) is None:
            del self.fields[publication_checks.ACKNOWLEDGE]
            del self.fields[publication_checks.REASON]
        elif self.instance.pk:
            # what the page would be warned of if it went public now, before anyone asks
            warnings = publication_checks.warnings_for(self.instance, current_request())
            if warnings:
                self.fields[publication_checks.ACKNOWLEDGE].help_text = " ".join(warnings)

    def _post_clean(self):
        super()._post_clean()  # the page now holds what was typed
        step = next(
            (step for name, step in publication_checks.ACTIONS.items() if name in self.data), None
        )
        if step is None or publication_checks.REASON not in self.fields or self._errors:
            return
        request = current_request()
        stop, reason, field = publication_checks.decide(self.instance, request, self.cleaned_data)
        for message in stop:
            self.add_error(field if field == publication_checks.REASON else None, message)
        if reason and request is not None:
            request.publication_override = (step, reason)

    def clean(self):
        cleaned = super().clean()
        if "action-publish" not in self.data:
            return cleaned
        page = self.instance
        if not page.locale_id and self.parent_page is not None:
            page.locale = self.parent_page.locale
        decision = one_language_decision(page, self.for_user, cleaned)
        if decision.problem:
            self.add_error(decision.field, decision.problem)
        elif decision.reason:
            _override.set((self.for_user.pk, decision.reason))
        return cleaned


_request = ContextVar("request", default=None)


def current_request():
    return _request.get()


class BilingualRequestMiddleware:
    """Keeps the request for workflow tasks to talk back, and makes sure a one-language
    decision never outlives the request it was made in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_token = _request.set(request)
        override_token = _override.set(None)
        try:
            return self.get_response(request)
        finally:
            _override.reset(override_token)
            _request.reset(request_token)


class BilingualPage(Page):
    """Mixed into the page types whose Kyrgyz and Russian versions go live together."""

    bilingual_required = True
    base_form_class = BilingualPageForm
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [FieldPanel("publish_without_other_language"), FieldPanel("one_language_reason")],
            heading=_("Publishing in one language"),
        ),
    ]

    class Meta:
        abstract = True

    def publish(self, revision, user=None, **kwargs):
        if self.translation_key in _publishing_pair.get():
            return super().publish(revision, user=user, **kwargs)
        content = revision.as_object()
        problem = publication_problem(content)
        override = _override.get()
        if problem and override is not None:
            log(
                instance=self,
                action=ONE_LANGUAGE_ACTION,
                user=user,
                data={
                    "reason": override[1],
                    "language": self.locale.language_code,
                    "revision": revision.pk,
                },
            )
        elif problem and _decided_before(self, revision):
            pass  # a manager decided it when scheduling this revision; the log says who and why
        elif problem:
            if _skip_refused.get():
                # the schedule is called off, once, rather than retried every few minutes
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                log(instance=self, action=REFUSED_ACTION, user=user, data={"reason": str(problem)})
                return None
            raise OneLanguageRefused(str(problem))
        token = _publishing_pair.set(_publishing_pair.get() | {self.translation_key})
        try:
            with transaction.atomic():
                result = super().publish(revision, user=user, **kwargs)
                pair = counterpart(self)
                going_live = not (content.go_live_at and content.go_live_at > timezone.now())
                if pair is not None and going_live and not problem:
                    _publish_pending(pair, user)
        finally:
            _publishing_pair.reset(token)
        return result
