"""The identifier of one add form, for autosave (see cms/autosave.py)."""

import uuid

from django import forms


class AddFormIdentifierMixin(forms.Form):
    """A hidden identifier of one add form, the same in every post of it (autosave or Save)."""

    add_form = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add_form"].initial = uuid.uuid4()
