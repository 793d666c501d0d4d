# Joins the two 0006 migrations that reached main from two branches at once.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_hand_overs"),
        ("accounts", "0006_phones_in_e164"),
    ]

    operations = []
