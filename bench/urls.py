"""The portal's URLs plus the trivial Django JSON view the API is compared with, twice: through
the whole middleware stack (`/bench/json`) and on the donor API's fast path, which skips the
portal's middleware (`/api/v1/codes/bench-json`, the floor). Both are sent the same request as
verify (a POST with the same headers and body)."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from clearinghouse.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def trivial_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/json", trivial_json),
    path("api/v1/codes/bench-json", trivial_json),
    *portal_urlpatterns,
]
