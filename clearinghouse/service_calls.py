"""A view calling a service: the service's `DomainError` becomes a message or a form error.

The same few lines stood in every app's views; these two helpers are them, once.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from clearinghouse.errors import DomainError


def call_with_messages(request, service, /, *, success: str, **arguments) -> bool:
    """Call `service(**arguments)`; show `success` when it works and the error's message when
    a rule stops it. Returns whether it worked."""
    try:
        service(**arguments)
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def form_error_add(form, error: DomainError, *, field: str | None = None) -> None:
    """Show `error` on `form`: at the error's own field when the form has it, else at `field`
    (None: the form as a whole)."""
    form.add_error(error.field if error.field in form.fields else field, error.message)


def form_submit(
    request,
    form,
    service,
    arguments,
    /,
    *,
    success: str | Callable[[Any], str],
    field: str | None = None,
) -> bool:
    """A form page's POST: when `form` was posted and is valid, call
    `service(**arguments(form.cleaned_data))`; show `success` (a string, or a function of what
    the service returned) when it works, and the error on the form (`form_error_add`) when a
    rule stops it. Returns whether it worked (then the view redirects)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        result = service(**arguments(form.cleaned_data))
    except DomainError as error:
        form_error_add(form, error, field=field)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def confirm_page(
    request, template: str, context: dict, service, /, *, success: str, done: str, **arguments
):
    """A page that asks before it acts: a GET shows `template`; a POST calls the service (its
    outcome as a message, `call_with_messages`) and redirects to `done`."""
    if request.method != "POST":
        return render(request, template, context)
    call_with_messages(request, service, success=success, **arguments)
    return redirect(done)
