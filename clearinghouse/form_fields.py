"""Form fields the portal's forms share."""

from django import forms


def text_field(label, *, rows: int = 3, **options) -> forms.CharField:
    """A few lines of free text (a reason, a message, an address): a `CharField` drawn as a
    textarea of `rows` rows; `options` are the CharField's."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **options)
