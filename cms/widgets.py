"""Form widgets of the public site."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """Django's `<select>` with the same markup, written straight from the choices: the
    public filters choose among 500 municipalities, which Django's form templates took about
    20 ms to write, and its per-option dictionaries and safe strings half of the rest."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        """Kept as given, `(value, label)` pairs and `(group, pairs)` groups, which is how
        every caller writes them (a ChoiceField has normalised its own already): Django
        normalised the 500 choices again for every form made."""
        self._choices = list(value)

    def render(self, name, value, attrs=None, renderer=None):
        wanted = {str(item) for item in self.format_value(value)}
        selected = False
        written = []

        def option(option_value, label):
            nonlocal selected
            option_value = "" if option_value is None else str(option_value)
            chosen = not selected and option_value in wanted
            selected = selected or chosen
            written.append(
                f'<option value="{escape(option_value)}"{" selected" if chosen else ""}>'
                f"{escape(str(label))}</option>"
            )

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                written.append(f'<optgroup label="{escape(str(group_value))}">')
                for option_value, label in group_label:
                    option(option_value, label)
                written.append("</optgroup>")
            else:
                option(group_value, group_label)
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # every value and label escaped above
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{attrs}>{"".join(written)}</select>'
        )
