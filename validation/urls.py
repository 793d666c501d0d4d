from django.urls import path

from validation import views

app_name = "validation"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("", views.status, name="status"),
    path("answer/", views.answer, name="answer"),
    path("attest/", views.attest, name="attest"),
    path("apply-again/", views.reapply, name="reapply"),
    path("review/", views.review_request, name="review-request"),
    path("organisation/", views.organisation_edit, name="organisation-edit"),
]
