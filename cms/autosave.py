"""Autosave of an add form without accidents.

Wagtail's autosave creates the page from an add form as soon as the editor types, and only then
points the form at the new page's edit address. A Save pressed before that answer arrives, or a
form sent again, still goes to the add address: Wagtail would create the page a second time and
refuse with "This slug is already in use". Every add form therefore carries its own identifier
(cms/add_form.py);
the first save of it (autosave or not) is remembered, and any later post of the same form edits
that page instead. A post that arrives while the first is still creating the page waits for it
(`AddFormClaim`), so two posts at once create one page. What autosave alone created, and nobody
saved on purpose, is an abandoned draft that `delete_abandoned_drafts` may remove after
`ABANDONED_DRAFT_DAYS` days.
"""

import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from cms.models import AddFormClaim, AutosavedDraft

# how long a post waits for another post of its form that is creating the page, and the age
# after which a claim is taken to be left by a process that died
CLAIM_WAIT_SECONDS = 20
CLAIM_STALE_SECONDS = 120


def expects_json(request):
    """As Wagtail tells an autosave from a Save (autosave asks for JSON)."""
    return not request.accepts("text/html")


def add_form_identifier(request):
    try:
        return uuid.UUID(request.POST.get("add_form", ""))
    except ValueError:
        return None


def page_created_by_this_form(request, parent_page, page_class):
    """The page an earlier post of this same add form created, if this user may edit it."""
    identifier = add_form_identifier(request) if request.method == "POST" else None
    if identifier is None:
        return None
    draft = (
        AutosavedDraft.objects.filter(
            add_form=identifier,
            user=request.user,
            page__content_type=ContentType.objects.get_for_model(page_class),
            page__path__startswith=parent_page.path,
            page__depth=parent_page.depth + 1,
        )
        .select_related("page")
        .first()
    )
    if draft is None or not draft.page.permissions_for_user(request.user).can_edit():
        return None
    return draft.page


def _claim(identifier):
    try:
        with transaction.atomic():
            AddFormClaim.objects.create(add_form=identifier)
        return True
    except IntegrityError:
        return False


@contextmanager
def creating_once(request):
    """Run the creation of a page from an add form while holding its claim; a post of the same
    form that finds the claim taken waits until it is released. Yields False when there is
    no identifier to claim (the form is then created as Wagtail does)."""
    identifier = add_form_identifier(request)
    if identifier is None:
        yield False
        return
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while not _claim(identifier):
        stale = timezone.now() - timedelta(seconds=CLAIM_STALE_SECONDS)
        AddFormClaim.objects.filter(add_form=identifier, created_at__lt=stale).delete()
        if time.monotonic() > deadline:
            break  # the other post is stuck: go on as Wagtail would rather than hang
        time.sleep(0.1)
    try:
        yield True
    finally:
        AddFormClaim.objects.filter(add_form=identifier).delete()


def remember_created_page(request, page):
    identifier = add_form_identifier(request)
    if identifier is None:
        return
    try:
        with transaction.atomic():
            AutosavedDraft.objects.create(
                page=page,
                add_form=identifier,
                user=request.user,
                saved_on_purpose=not expects_json(request),
            )
    except IntegrityError:
        pass  # two posts of one form at once: the first page keeps the identifier


def saved_on_purpose(request, page):
    """A Save, Publish or Submit (not an autosave) makes the draft somebody's on purpose."""
    if not expects_json(request):
        AutosavedDraft.objects.filter(page=page, saved_on_purpose=False).update(
            saved_on_purpose=True
        )


def abandoned_drafts(days=None):
    """Pages autosave alone created and nobody touched for `days` days: never published, never
    saved on purpose, without subpages, translations, other authors or moderation."""
    days = settings.ABANDONED_DRAFT_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    candidates = AutosavedDraft.objects.filter(
        saved_on_purpose=False,
        page__live=False,
        page__first_published_at__isnull=True,
        page__numchild=0,
        created_at__lt=cutoff,
    ).select_related("page")
    pages = []
    for draft in candidates:
        page = draft.page
        revisions = page.revisions.all()
        if revisions.filter(created_at__gte=cutoff).exists():
            continue
        if revisions.exclude(user_id=draft.user_id).exists():
            continue
        if Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk).exists():
            continue
        if WorkflowState.objects.for_instance(page).exists() or page.locked:
            continue
        pages.append(page)
    return pages
