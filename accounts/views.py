from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.selectors import organisation_for_user


@login_required
def my_account(request):
    return render(
        request, "accounts/my_account.html", {"organisation": organisation_for_user(request.user)}
    )
