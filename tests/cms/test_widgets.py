"""The long select writes what Django's own `<select>` writes (whitespace aside), faster."""

import re

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cms.widgets import LongSelect

CHOICES = [
    ("", _("All municipalities")),
    ("Жалал-Абад & <Ош>", [("barpy", "Барпы"), ("ak-korgon", 'Ак-"Коргон"'), ("o'k", "O'K")]),
    ("Ысык-Көл", [("ton", "Тоң"), ("4", "4")]),
    ("alone", "Жалгыз"),
]


def _written(widget, value, attrs):
    widget.choices = CHOICES
    html = str(widget.render("municipality", value, attrs=attrs))
    return re.sub(r">\s+<", "><", html.replace("\n", "")).strip()


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize("value", [None, "", "ak-korgon", "o'k", "4", 4, "ton", "nowhere"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_municipality", "required": True}])
def test_the_long_select_writes_what_djangos_select_writes(language, value, attrs):
    with override(language):
        assert _written(LongSelect(), value, attrs) == _written(forms.Select(), value, attrs)


def test_a_chosen_value_is_marked_once_and_everything_is_escaped():
    html = _written(LongSelect(), "o'k", None)
    assert html.count(" selected") == 1 and 'value="o&#x27;k" selected' in html
    assert 'label="Жалал-Абад &amp; &lt;Ош&gt;"' in html and "Ак-&quot;Коргон&quot;" in html


def test_link_items_escape_every_title_and_address():
    from cms.templatetags.site_tags import link_items

    html = str(link_items([{"title": 'Ак-"Суу" & <b>', "url": "/ky/a?b=1&c='2'"}]))
    assert html == (
        '<li><a href="/ky/a?b=1&amp;c=&#x27;2&#x27;">Ак-&quot;Суу&quot; &amp; &lt;b&gt;</a></li>'
    )
    assert str(link_items([{"title": "Ноокат", "url": None}])) == '<li><a href="">Ноокат</a></li>'
