"""Joins two migrations that landed on main in parallel: hand-overs and E.164 phones."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_hand_overs"),
        ("accounts", "0006_phones_in_e164"),
    ]

    operations = []
