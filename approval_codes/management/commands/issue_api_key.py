from django.core.management.base import BaseCommand, CommandError

from approval_codes.models import Donor
from approval_codes.services import api_key_issue


class Command(BaseCommand):
    help = (
        "Issue an API key for a donor partner and print it once: only its hash is stored, so "
        "give it to the donor now."
    )

    def add_arguments(self, parser):
        parser.add_argument("donor", help='The donor partner\'s name, e.g. "Microsoft".')
        parser.add_argument("--name", default="", help="What the key is for, e.g. 'production'.")
        parser.add_argument(
            "--test",
            action="store_true",
            help="A test key: it sees only the codes of test organisations.",
        )

    def handle(self, *args, donor, name, test=False, **options):
        found = Donor.objects.filter(name__iexact=donor.strip()).first()
        if found is None:
            known = ", ".join(f'"{name}"' for name in Donor.objects.values_list("name", flat=True))
            raise CommandError(
                f'There is no donor partner called "{donor}". '
                + (f"Known donor partners: {known}." if known else "There are none yet.")
            )
        if not found.is_active:
            raise CommandError(f'The donor partner "{found}" is not active; activate it in admin.')
        api_key, key = api_key_issue(donor=found, name=name, is_test=test)
        self.stderr.write(f"API key {api_key.prefix}… for {found} (shown only this once):")
        self.stdout.write(key)
