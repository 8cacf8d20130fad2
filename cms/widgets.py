"""Form widgets of the public site."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """Django's `<select>` with the same markup, written in Python rather than through a
    template per option: the public filters choose among 500 municipalities, which Django's
    form templates took about 20 ms to write (three such lists on a listing page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                written = format_html('<optgroup label="{}">{}</optgroup>', group_name, written)
            groups.append(written)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308 - each part escaped by format_html above
        )
