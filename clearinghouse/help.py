"""The Help pages (one per area, templates translated like the rest) and the footer's pages
(contact, privacy, terms), whose text staff edit in admin, one text per language."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clearinghouse.models import SitePage

HELP_AREAS = {
    "approval-codes": _("Approval codes"),
    "validation": _("Validation"),
    "microsoft": _("The Microsoft programme"),
    "contacts-billing": _("Contacts and billing"),
}


def help_index(request):
    return render(request, "help/index.html", {"areas": HELP_AREAS})


def help_area(request, area):
    if area not in HELP_AREAS:
        raise Http404
    return render(
        request,
        f"help/{area}.html",
        {"areas": HELP_AREAS, "area": area, "title": HELP_AREAS[area]},
    )


def site_page(request, slug):
    """A footer page in the page's language, else in English; staff write them in admin."""
    if slug not in SitePage.Slug.values:
        raise Http404
    language = translation.get_language() or settings.LANGUAGE_CODE
    pages = {page.language: page for page in SitePage.objects.filter(slug=slug)}
    page = pages.get(language) or pages.get(settings.LANGUAGE_CODE)
    return render(
        request,
        "help/site_page.html",
        {"page": page, "title": page.title if page else SitePage.Slug(slug).label},
    )
