"""The defaults staff start from (and then keep in admin): shared website hosts (R-VAL-8),
legal forms per country and the evidence asked for (R-VAL-3).

Each table is filled only while it is empty: by its data migration, and after every
`migrate` or test-database flush (post_migrate), so a fresh install has them but a list staff
have edited is never put back.
"""

from django.apps import apps as global_apps
from django.db import DatabaseError

SHARED_HOSTS = [
    "wixsite.com",
    "wordpress.com",
    "blogspot.com",
    "squarespace.com",
    "weebly.com",
    "jimdofree.com",
    "jimdo.com",
    "webnode.se",
    "webnode.com",
    "one.com",
    "github.io",
    "google.com",
    "facebook.com",
    "site123.me",
    "strikingly.com",
    "godaddysites.com",
    "simplesite.com",
    "hemsida24.se",
    "123hjemmeside.no",
]
LEGAL_FORMS = {
    "SE": ["Ideell förening", "Stiftelse", "Registrerat trossamfund"],
    "NO": ["Forening", "Stiftelse"],
}

# (country, legal form, organisation type, English, Swedish, Norwegian Bokmål)
REQUIREMENTS = [
    (
        "SE",
        "Ideell förening",
        "",
        "The minutes of your latest annual meeting, approved and signed",
        "Protokoll från ert senaste årsmöte, justerat och undertecknat",
        "Protokoll fra det siste årsmøtet, godkjent og signert",
    ),
    (
        "SE",
        "Stiftelse",
        "",
        "Your foundation's latest annual report",
        "Stiftelsens senaste årsredovisning",
        "Stiftelsens siste årsrapport",
    ),
    (
        "SE",
        "Registrerat trossamfund",
        "",
        "The decision registering your faith community (Kammarkollegiet)",
        "Beslutet om registrering av ert trossamfund (Kammarkollegiet)",
        "Vedtaket om registrering av trossamfunnet (Kammarkollegiet)",
    ),
    (
        "NO",
        "Forening",
        "",
        "The minutes of your latest annual meeting, approved and signed",
        "Protokoll från ert senaste årsmöte, justerat och undertecknat",
        "Protokoll fra det siste årsmøtet, godkjent og signert",
    ),
    (
        "NO",
        "Stiftelse",
        "",
        "Your foundation's latest annual report",
        "Stiftelsens senaste årsredovisning",
        "Stiftelsens siste årsrapport",
    ),
    (
        "",
        None,
        "public_library",
        "A document showing that the library is public (e.g. a decision of its municipality)",
        "Ett dokument som visar att biblioteket är offentligt (t.ex. ett kommunalt beslut)",
        "Et dokument som viser at biblioteket er offentlig (f.eks. et kommunalt vedtak)",
    ),
    (
        "",
        None,
        "public_museum",
        "A document showing that the museum is public (e.g. a decision of its owner authority)",
        "Ett dokument som visar att museet är offentligt (t.ex. ett beslut av dess huvudman)",
        "Et dokument som viser at museet er offentlig (f.eks. et vedtak fra eieren)",
    ),
]


def _models(apps):
    apps = apps or global_apps
    try:
        return (
            apps.get_model("validation", "SharedHost"),
            apps.get_model("validation", "LegalForm"),
            apps.get_model("validation", "EvidenceRequirement"),
        )
    except LookupError:
        return None


def evidence_defaults_ensure(*, apps=None) -> None:
    models = _models(apps)
    if models is None:
        return
    _shared_host, legal_form_model, requirement_model = models
    if legal_form_model.objects.exists() or requirement_model.objects.exists():
        return
    forms = {}
    for country, names in LEGAL_FORMS.items():
        for position, name in enumerate(names):
            forms[(country, name)], _created = legal_form_model.objects.get_or_create(
                country=country, name=name, defaults={"position": position}
            )
    for country, form_name, type_, en, sv, nb in REQUIREMENTS:
        requirement_model.objects.get_or_create(
            country=country,
            legal_form=forms.get((country, form_name)),
            organisation_type=type_,
            defaults={"description": en, "description_sv": sv, "description_nb": nb},
        )


def shared_hosts_ensure(*, apps=None) -> None:
    models = _models(apps)
    if models is None:
        return
    shared_host_model = models[0]
    if shared_host_model.objects.exists():
        return
    shared_host_model.objects.bulk_create(
        [shared_host_model(domain=domain) for domain in SHARED_HOSTS], ignore_conflicts=True
    )


def defaults_ensure(sender=None, *, apps=None, **kwargs) -> None:
    """post_migrate: fill the tables that are empty (a fresh database, a flushed test one)."""
    try:
        shared_hosts_ensure(apps=apps)
        evidence_defaults_ensure(apps=apps)
    except DatabaseError:  # the tables are not there yet (a partial or backward plan)
        return
