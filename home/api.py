"""Wagtail's read API at /api/v2/, for apps and mini-programs: pages only.

There are no images or documents endpoints. Wagtail's list every file in the library, drafts'
attachments and private collections included, and no client reads them: a page's own API fields carry
what the page shows (an `ImageRenditionField` gives a live page's images; a document is a link in its
body or attachments).
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet


class CheckedParametersMixin:
    """Answer 400, as the API does for its other bad parameters, where Wagtail would pass a value on.

    A NUL byte reaches PostgreSQL as a DataError (SQLite finds nothing), and an unknown
    search_operator reaches the search backend as a ValueError: both were 500s.
    """

    def initial(self, request, *args, **kwargs):
        # Before any view (listing, detail, find/) filters or looks anything up.
        super().initial(request, *args, **kwargs)
        self.refuse_bad_values()

    def refuse_bad_values(self):
        for name, values in self.request.GET.lists():
            if any("\x00" in value for value in [name, *values]):
                raise BadRequestError(f"query parameter contains a NUL character: {name!r}")
        operator = self.request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")


class PagesAPI(CheckedParametersMixin, PagesAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
