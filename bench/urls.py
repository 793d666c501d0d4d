"""The portal's URLs plus `/bench/json`, the trivial Django JSON view the API is compared with.
It is sent the same request as verify (a POST with the same headers and body)."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from clearinghouse.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def trivial_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/json", trivial_json), *portal_urlpatterns]
