"""Language choice: French unless the person picked another language in the footer.

Django's ``LocaleMiddleware`` would also follow the browser's ``Accept-Language``; school
computers are often set up in English, and the staff expect the French interface they know.
The language chosen in the footer (a cookie set by ``set_language``) still wins.
"""


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
