from django.urls import path

from validation import views

app_name = "validation"

urlpatterns = [
    path("apply/", views.apply, name="application-submit"),
    path("", views.status, name="application-detail"),
    path("answer/", views.answer, name="application-answer"),
    path("attest/", views.attest, name="organisation-attest"),
    path("apply-again/", views.reapply, name="application-reapply"),
    path("review/", views.review_request, name="review-request"),
    path("organisation/", views.organisation_edit, name="organisation-edit"),
]
