from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = "Forget the donor API's logged requests older than 30 days. Safe to run at once."
    job = "approval_codes.api_log.api_requests_prune"
    done = "Forgot {} old request(s)."
