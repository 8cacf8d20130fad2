"""Two people edit the same page: the second save, from an outdated version, is refused
with who changed what; the first one's change is kept and the second one's input stays."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import HomePage, StandardPage
from tests import factories

pytestmark = pytest.mark.django_db


def editor(django_user_model, name):
    user = django_user_model.objects.create_superuser(name, f"{name}@example.kg", "pw")
    user.first_name = name.capitalize()
    user.save()
    client = Client()
    client.force_login(user)
    return client


def loaded_version(client, page):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


def form(page, intro, version):
    return {
        **nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "intro": intro,
                "body": streamfield([]),
                "comments": inline_formset([]),
            }
        ),
        **version,
    }


def test_the_second_save_of_an_outdated_page_is_refused(django_user_model):
    home = HomePage.objects.get(locale__language_code="ky")
    page = factories.publish(home, StandardPage(title="Байланыш", slug="contacts-conflict"))
    first, second = editor(django_user_model, "first"), editor(django_user_model, "second")
    first_version = loaded_version(first, page)
    second_version = loaded_version(second, page)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    assert first.post(url, form(page, "Биринчи", first_version)).status_code == 302
    refused = second.post(url, form(page, "Экинчи", second_version))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "First" in html
    latest = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.intro == "Биринчи"
    assert "Экинчи" in html  # what the second person typed is still in the form

    assert second.post(url, form(page, "Экинчи", loaded_version(second, page))).status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().intro == "Экинчи"


def test_a_newer_version_saved_by_the_same_person_is_not_a_conflict(django_user_model):
    """The editor's own autosave saved a version while the form was open (after a refused
    Submit, say): their next Save or Submit goes through."""
    home = HomePage.objects.get(locale__language_code="ky")
    page = factories.publish(home, StandardPage(title="Байланыш", slug="contacts-own"))
    client = editor(django_user_model, "own")
    version = loaded_version(client, page)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    autosaved = client.post(url, form(page, "Автосактоо", version), HTTP_ACCEPT="application/json")
    assert autosaved.status_code == 200
    assert client.post(url, form(page, "Акыркы", version)).status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().intro == "Акыркы"
