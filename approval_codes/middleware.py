"""The donor API's operations skip the portal's middleware.

`/api/v1/codes/…` is called by donor partners' servers with a bearer key: it has no sessions,
cookies, CSRF, messages, language or HTML, so the middleware that serves those would only cost
time on the hottest path (`bench/api.py` measures it). Placed right after SecurityMiddleware,
this sends those requests straight to their view; everything else, the API's docs included,
goes through the whole stack. An ordinary verify is answered from the cache in one Redis round
trip (`fast_verify`), without ninja.
"""

from django.urls import resolve

from approval_codes import fast_verify

FAST_PATH_PREFIX = "/api/v1/codes/"


class DonorApiFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(FAST_PATH_PREFIX):
            return self.get_response(request)
        response = None
        if request.path_info == fast_verify.PATH:
            response = fast_verify.answer(request)
        if response is None:
            match = resolve(request.path_info)
            request.resolver_match = match
            response = match.func(request, *match.args, **match.kwargs)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))  # for keep-alive
        return response
