"""Small middleware of our own."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForPersonalPagesMiddleware:
    """Pages for a logged-in person (or a self-test in progress) must never be kept by a
    browser cache or a proxy: a shared library computer must not show the next person
    someone's answers through the back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/static/"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/test/"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
