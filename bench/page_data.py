"""The data of the pages people wait on, for `bench/api.py`: an organisation with 100 and with
10,000 codes, and the admin validation queue with 1,000 and 100,000 applications (a tenth of
them open), made in bulk and kept between runs; and a signed-in session for each viewer."""


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def organisation_new(**fields):
    """An unsaved bench organisation, to be saved one by one or made in bulk: a Swedish
    nonprofit with a registration number and an address, unless `fields` (at least handle,
    legal_name and account_holder) say otherwise. `bench/expire_codes.py` uses it too."""
    from accounts.models import Organisation

    defaults = {
        "country": "SE",
        "type": Organisation.Type.NONPROFIT,
        "registration_number": "802456-5789",
        "address": "Storgatan 1",
    }
    return Organisation(**(defaults | fields))


def organisation_with_codes(count: int):
    """An approved organisation with `count` codes (made in bulk: the service is per code)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Organisation, User
    from approval_codes import codes
    from approval_codes.models import ApprovalCode

    handle = f"BenchCodes{count}"
    organisation = Organisation.objects.filter(handle=handle).first()
    if organisation is None:
        holder = User.objects.create(email=f"bench-codes-{count}@clearinghouse.test")
        organisation = organisation_new(
            handle=handle,
            legal_name=f"Bench codes {count}",
            account_holder=holder,
            status=Organisation.Status.APPROVED,
        )
        organisation.save(force_insert=True)
        holder.organisation = organisation
        holder.save(update_fields=["organisation"])
    have = organisation.approval_codes.count()
    now = timezone.now()
    batch = []
    for n in range(have, count):
        code = codes.make_code(handle)
        batch.append(
            ApprovalCode(
                code=code,
                lookup=code.lower(),
                organisation=organisation,
                first_name=f"Person {n}",
                last_name="Bench",
                email=f"person{n}@example.org",
                issued_by=organisation.account_holder,
                created_at=now - timedelta(minutes=n),
                expires_at=now + timedelta(days=59) - timedelta(minutes=n),
            )
        )
    ApprovalCode.objects.bulk_create(batch, batch_size=2000)
    analyze(ApprovalCode)
    return organisation


def analyze(*models) -> None:
    """Update the planner's statistics after a bulk load, as autovacuum does a little later on
    a live database: measured straight after seeding, PostgreSQL would still believe the table
    nearly empty and, for the codes list, sort every code instead of walking the index."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def applications_total(total: int) -> None:
    """Exactly `total` bench applications: one open one per organisation and nine decided ones
    beside it (a queue of total/10 waiting), made (or removed) in bulk."""
    from accounts.models import Organisation
    from validation.models import Application

    wanted = total // 10
    have = Organisation.objects.filter(handle__startswith="BenchApp").count()
    if have > wanted:
        _remove_applicants(range(wanted, have))
    for start in range(have, wanted, 2000):
        _add_applicants(range(start, min(start + 2000, wanted)))
    analyze(Application, Organisation)


def _remove_applicants(numbers) -> None:
    from accounts.models import Organisation, User
    from validation.models import Application

    extra = [f"BenchApp{n}" for n in numbers]
    bench = Organisation.objects.filter(handle__in=extra)
    holders = list(bench.values_list("account_holder", flat=True))
    Application.objects.filter(organisation__handle__in=extra).delete()
    User.objects.filter(organisation__handle__in=extra).update(organisation=None)
    bench.delete()
    User.objects.filter(pk__in=holders).delete()


def _add_applicants(numbers) -> None:
    """Organisations `BenchApp<n>`, each with one open application and nine decided ones."""
    from datetime import date

    from django.utils import timezone

    from accounts.models import Organisation, User
    from validation.models import Application

    users = User.objects.bulk_create(
        [User(email=f"bench-app-{n}@clearinghouse.test", password="!") for n in numbers]
    )
    orgs = Organisation.objects.bulk_create(
        [
            organisation_new(
                handle=f"BenchApp{n}",
                legal_name=f"Applicant {n}",
                registration_number="802002-4280",
                address="Gatan 1",
                account_holder=user,
            )
            for n, user in zip(numbers, users, strict=True)
        ]
    )
    now, today = timezone.now(), date.today()
    open_, decided = Application.Status.SUBMITTED, Application.Status.APPROVED
    Application.objects.bulk_create(
        [
            Application(
                organisation=organisation,
                kind=Application.Kind.APPLICATION,
                status=open_ if n == 0 else decided,
                legal_name=organisation.legal_name,
                type=organisation.type,
                country="SE",
                registration_number=organisation.registration_number,
                address=organisation.address,
                submitted_at=now,
                clock_started_on=today,
            )
            for organisation in orgs
            for n in range(10)
        ],
        batch_size=5000,
    )


def seed_pages() -> list[tuple[str, str, str, int | None]]:
    """(label, path, cookie, bench applications wanted first) of each page measured."""
    from accounts.models import User

    staff, _ = User.objects.get_or_create(
        email="bench-staff@clearinghouse.test", defaults={"is_staff": True, "is_superuser": True}
    )
    pages = []
    for count in (100, 10_000):
        organisation = organisation_with_codes(count)
        cookie = session_cookie(organisation.account_holder)
        pages.append((f"codes list, {count:,} codes", "/account/codes/", cookie, None))
    cookie = session_cookie(staff)
    for count in (1_000, 100_000):
        label = f"validation queue, {count:,} applications"
        pages.append((label, "/admin/validation/application/", cookie, count))
    return pages
