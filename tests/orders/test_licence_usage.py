"""Licence use (R-MS-6): the 85 % computation on sample reports, and the monthly reminder."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from clearinghouse.models import OutboundEmail
from orders.errors import InvalidUsageReport, OrderNotAvailable
from orders.licence_usage import count_active_users, is_compliant
from orders.models import LicenceUsageReport, Order
from orders.services import licence_usage_reminders_send, licence_usage_report_upload

REPORT_DATE = date(2026, 11, 20)
COLUMNS = [
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "Is Deleted",
    "Deleted Date",
    "Exchange Last Activity Date",
    "OneDrive Last Activity Date",
    "SharePoint Last Activity Date",
    "Skype For Business Last Activity Date",
    "Yammer Last Activity Date",
    "Teams Last Activity Date",
    "Assigned Products",
]


def report(users, *, columns=COLUMNS, encoding="utf-8-sig") -> bytes:
    """`users`: dicts of column → value; the rest of each row is empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for n, user in enumerate(users):
        writer.writerow(
            {
                "Report Refresh Date": REPORT_DATE.isoformat(),
                "User Principal Name": f"user{n}@example.org",
                "Display Name": f"User {n}",
                "Is Deleted": "False",
                "Assigned Products": "MICROSOFT 365 BUSINESS PREMIUM",
                **user,
            }
        )
    return out.getvalue().encode(encoding)


def days_ago(n) -> str:
    return (REPORT_DATE - timedelta(days=n)).isoformat()


def test_five_of_six_active_is_83_percent_and_below_the_line():
    users = [{"Teams Last Activity Date": days_ago(3)}] * 5 + [{}]
    count = count_active_users(report(users), today=REPORT_DATE)
    assert (count.licensed_users, count.active_users) == (6, 5)
    assert not is_compliant(active=5, licensed=6)


def test_seventeen_of_twenty_is_exactly_85_percent_and_compliant():
    users = [{"Exchange Last Activity Date": days_ago(10)}] * 17 + [{}] * 3
    count = count_active_users(report(users), today=REPORT_DATE)
    assert (count.licensed_users, count.active_users) == (20, 17)
    assert is_compliant(active=17, licensed=20)


def test_only_the_listed_cloud_services_count_not_onedrive_or_skype():
    users = [
        {"OneDrive Last Activity Date": days_ago(1)},
        {"Skype For Business Last Activity Date": days_ago(1)},
        {"SharePoint Last Activity Date": days_ago(1)},
        {"Yammer Last Activity Date": days_ago(1)},
    ]
    assert count_active_users(report(users), today=REPORT_DATE).active_users == 2


def test_activity_older_than_90_days_does_not_count():
    users = [
        {"Teams Last Activity Date": days_ago(89)},
        {"Teams Last Activity Date": days_ago(90)},
        {"Teams Last Activity Date": days_ago(200)},
    ]
    assert count_active_users(report(users), today=REPORT_DATE).active_users == 1


def test_deleted_users_are_left_out():
    users = [{"Teams Last Activity Date": days_ago(1)}, {"Is Deleted": "True"}]
    count = count_active_users(report(users), today=REPORT_DATE)
    assert (count.licensed_users, count.active_users) == (1, 1)


def test_a_utf16_export_is_read():
    users = [{"Teams Last Activity Date": days_ago(1)}]
    assert count_active_users(report(users, encoding="utf-16"), today=REPORT_DATE).active_users == 1


def test_a_report_in_another_encoding_gets_a_clear_message():
    data = report([{"Display Name": "Åsa Öberg"}], encoding="latin-1")
    with pytest.raises(InvalidUsageReport, match="not in UTF-8"):
        count_active_users(data, today=REPORT_DATE)


def test_a_csv_without_the_needed_columns_gets_a_clear_message():
    data = b"Name,Email\nAsa,asa@example.org\n"
    with pytest.raises(InvalidUsageReport, match="User Principal Name"):
        count_active_users(data, today=REPORT_DATE)


def test_a_report_with_too_many_rows_is_refused():
    data = report([{}] * 20_001)
    with pytest.raises(InvalidUsageReport, match="more than 20000 users"):
        count_active_users(data, today=REPORT_DATE)


def test_a_bad_date_names_the_row_and_column():
    with pytest.raises(InvalidUsageReport, match=r"Row 2.*Teams Last Activity Date"):
        count_active_users(report([{"Teams Last Activity Date": "yesterday"}]), today=REPORT_DATE)


def test_an_empty_report_is_refused():
    with pytest.raises(InvalidUsageReport, match="no users with a licence"):
        count_active_users(report([]), today=REPORT_DATE)


@pytest.mark.django_db
def test_uploading_keeps_the_counts(organisation, holder):
    users = [{"Teams Last Activity Date": days_ago(3)}] * 5 + [{}]
    upload = SimpleUploadedFile("active-users.csv", report(users), content_type="text/csv")
    saved = licence_usage_report_upload(organisation=organisation, file=upload, uploaded_by=holder)
    assert (saved.licensed_users, saved.active_users, saved.share_percent) == (6, 5, 83)
    assert not saved.is_compliant
    assert saved.report_date == REPORT_DATE


# The monthly reminder


@pytest.fixture
def granted_cloud_order(place, make_product, staff_user):
    from orders.services import order_grant

    order = place({make_product(price="5.50", grant=10, kind="cloud_subscription"): 5})
    order_grant(order=order, decided_by=staff_user)
    return order


def reminders():
    return OutboundEmail.objects.filter(template="order-licence-usage-reminder")


@pytest.mark.django_db
def test_an_organisation_without_a_report_is_reminded_once_a_month(granted_cloud_order, holder):
    assert licence_usage_reminders_send(today=date(2026, 12, 1)) == 1
    assert licence_usage_reminders_send(today=date(2026, 12, 15)) == 0
    assert list(reminders().values_list("to", flat=True)) == [holder.email]
    assert licence_usage_reminders_send(today=date(2027, 1, 1)) == 1


@pytest.mark.django_db
def test_an_organisation_below_85_percent_is_reminded_with_its_figures(
    granted_cloud_order, organisation
):
    LicenceUsageReport.objects.create(
        organisation=organisation,
        file_name="r.csv",
        report_date=date(2026, 11, 20),
        licensed_users=6,
        active_users=5,
    )
    licence_usage_reminders_send(today=date(2026, 12, 1))
    assert "5 of 6 users active (83 %)" in reminders().get().body_text


@pytest.mark.django_db
def test_a_compliant_recent_report_means_no_reminder(granted_cloud_order, organisation):
    LicenceUsageReport.objects.create(
        organisation=organisation,
        file_name="r.csv",
        report_date=date(2026, 11, 20),
        licensed_users=20,
        active_users=17,
    )
    assert licence_usage_reminders_send(today=date(2026, 12, 1)) == 0


@pytest.mark.django_db
def test_an_organisation_without_granted_cloud_licences_is_not_reminded(place, make_product):
    place({make_product(price="5.50", kind="cloud_subscription"): 5})  # submitted, not granted
    assert licence_usage_reminders_send(today=date(2026, 12, 1)) == 0
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_the_management_command_runs_the_same_job(granted_cloud_order):
    out = io.StringIO()
    call_command("licence_usage_reminders_send", stdout=out)
    assert "Sent 1" in out.getvalue()
    assert reminders().count() == 1


@pytest.mark.django_db
def test_the_celery_task_runs_the_same_job(granted_cloud_order):
    from orders.tasks import licence_usage_reminders_send

    assert licence_usage_reminders_send.delay().get() == 1


# Counted against the assigned licences (R-MS-6, seed 003)


def test_seventeen_active_of_twenty_licensed_beside_five_unlicensed_rows_is_85_percent():
    users = (
        [{"Exchange Last Activity Date": days_ago(10)}] * 17
        + [{}] * 3
        + [{"Assigned Products": "", "Teams Last Activity Date": days_ago(400)}] * 5
    )
    count = count_active_users(report(users), today=REPORT_DATE)
    assert (count.licensed_users, count.active_users) == (20, 17)
    assert is_compliant(active=17, licensed=20)


def test_without_assigned_products_the_has_licence_columns_say_who_is_licensed():
    columns = [c for c in COLUMNS if c != "Assigned Products"] + [
        "Has Exchange License",
        "Has Teams License",
    ]
    users = [
        {"Has Teams License": "True", "Teams Last Activity Date": days_ago(1)},
        {"Has Exchange License": "True"},
        {"Has Exchange License": "False", "Has Teams License": "False"},
    ]
    count = count_active_users(report(users, columns=columns), today=REPORT_DATE)
    assert (count.licensed_users, count.active_users) == (2, 1)


def test_a_report_without_licence_columns_gets_a_clear_message():
    columns = [c for c in COLUMNS if c != "Assigned Products"]
    with pytest.raises(InvalidUsageReport, match="does not say who holds a licence"):
        count_active_users(report([{}], columns=columns), today=REPORT_DATE)


def test_the_inactive_users_are_named_with_their_last_activity():
    users = [
        {"Teams Last Activity Date": days_ago(1)},
        {"Display Name": "Åsa Berg", "Teams Last Activity Date": days_ago(120)},
        {"Display Name": "Ola Nordmann"},
    ]
    count = count_active_users(report(users), today=REPORT_DATE)
    assert list(count.inactive_users) == [
        {"name": "Ola Nordmann", "last": ""},
        {"name": "Åsa Berg", "last": days_ago(120)},
    ]


# Two reports in a row below the line hold new cloud grants (R-MS-6, our choice)


def add_report(organisation, *, active, licensed=20):
    return LicenceUsageReport.objects.create(
        organisation=organisation,
        file_name="r.csv",
        report_date=REPORT_DATE,
        licensed_users=licensed,
        active_users=active,
    )


@pytest.mark.django_db
def test_two_low_reports_in_a_row_hold_new_cloud_grants_until_a_report_at_the_line(
    place, make_product, organisation
):
    premium = make_product(price="5.50", grant=10, kind="cloud_subscription")
    windows = make_product(price=None, grant=50, kind="perpetual_licence")
    add_report(organisation, active=10)
    assert place({premium: 5}).lines.get().granted_quantity == 5  # one low report: no hold
    add_report(organisation, active=12)
    line = place({premium: 5}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (0, 5)  # bought, not granted
    assert place({windows: 3}).lines.get().granted_quantity == 3  # donated software goes on
    add_report(organisation, active=17)
    assert place({premium: 5}).lines.get().granted_quantity == 5


@pytest.mark.django_db
def test_a_grant_only_cloud_product_held_says_why_and_how_to_lift_it(
    place, make_product, organisation
):
    basic = make_product(price=None, grant=300, hard_cap=300, kind="cloud_subscription")
    add_report(organisation, active=10)
    add_report(organisation, active=11)
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({basic: 5})
    message = str(excinfo.value)
    assert "last two licence-use reports were below 85 %" in message
    assert "Upload a report at or above 85 %" in message


@pytest.mark.django_db
def test_the_page_lists_the_history_and_the_inactive_users(holder_client, organisation):
    from django.urls import reverse

    add_report(organisation, active=10)
    latest = add_report(organisation, active=12)
    latest.inactive_users = [{"name": "Kim Inactive", "last": "2026-05-01"}]
    latest.save()
    page = holder_client.get(reverse("orders:licence-usage-detail")).content.decode()
    assert "Kim Inactive" in page and "2026-05-01" in page
    assert "10 of 20" in page and "12 of 20" in page
    assert "New cloud grants are on hold" in page
