"""One tenant at a time (DESIGN.md §4): another organisation's object is a 404."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts.models import User
from accounts.permissions import Right, organisation_required, rights_of
from accounts.selectors import get_for_user_or_404, scoped_to_user

pytestmark = pytest.mark.django_db


def test_scoping_keeps_only_the_users_organisation(holder, organisation, other_organisation):
    users = scoped_to_user(User.objects.all(), holder)
    assert list(users) == [holder]


def test_a_user_without_an_organisation_sees_nothing(user, organisation):
    assert not scoped_to_user(User.objects.all(), user).exists()


def test_another_organisations_object_is_a_404(holder, other_organisation):
    stranger = other_organisation.account_holder
    with pytest.raises(Http404):
        get_for_user_or_404(User.objects.all(), user=holder, pk=stranger.pk)
    with pytest.raises(Http404):
        get_for_user_or_404(User.objects.all(), user=holder, pk="not-a-number")
    assert get_for_user_or_404(User.objects.all(), user=holder, pk=holder.pk) == holder


def test_the_account_holder_has_every_right(holder):
    assert rights_of(holder) == frozenset(Right.values)


def test_a_user_without_an_organisation_has_no_rights(user):
    assert rights_of(user) == frozenset()


@organisation_required(Right.MANAGE_APPROVAL_CODES)
def _protected(request):
    return "ok"


def test_the_view_guard_sends_users_without_an_organisation_to_my_account(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    response = _protected(request)
    assert (response.status_code, response.url) == (302, "/account/")


def test_the_view_guard_lets_the_account_holder_in(holder):
    request = RequestFactory().get("/somewhere/")
    request.user = holder
    assert _protected(request) == "ok"


@organisation_required(Right.VIEW_PRODUCTS_ORDERS, post_right=Right.PLACE_ORDERS)
def _read_one_post_another(request):
    return "ok"


def test_a_page_read_with_one_right_needs_the_other_to_post(sub_account):
    from django.core.exceptions import PermissionDenied

    reader = sub_account(Right.VIEW_PRODUCTS_ORDERS).user
    get, post = RequestFactory().get("/somewhere/"), RequestFactory().post("/somewhere/")
    get.user = post.user = reader
    assert _read_one_post_another(get) == "ok"
    with pytest.raises(PermissionDenied, match="Place orders"):
        _read_one_post_another(post)
    post.user = sub_account(Right.VIEW_PRODUCTS_ORDERS, Right.PLACE_ORDERS).user
    assert _read_one_post_another(post) == "ok"


def test_a_page_read_with_one_right_tells_the_view_whether_the_user_may_post(sub_account):
    reader = RequestFactory().get("/somewhere/")
    reader.user = sub_account(Right.VIEW_PRODUCTS_ORDERS).user
    _read_one_post_another(reader)
    assert reader.may_post is False
    orderer = RequestFactory().get("/somewhere/")
    orderer.user = sub_account(Right.VIEW_PRODUCTS_ORDERS, Right.PLACE_ORDERS).user
    _read_one_post_another(orderer)
    assert orderer.may_post is True
