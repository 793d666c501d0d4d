"""Phone numbers are stored in E.164 from now on: convert the existing ones, read in the
contact's country. A number that cannot be read is kept as it is; the contact list asks the
account holder to fix it."""

from django.db import migrations


def to_e164(apps, schema_editor):
    from accounts.phones import phone_to_e164

    Contact = apps.get_model("accounts", "Contact")
    for contact in Contact.objects.exclude(phone="").only("pk", "phone", "country").iterator():
        e164 = phone_to_e164(contact.phone, country=contact.country or "")
        if e164 and e164 != contact.phone:
            Contact.objects.filter(pk=contact.pk).update(phone=e164)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_join_requests")]

    operations = [migrations.RunPython(to_e164, migrations.RunPython.noop)]
