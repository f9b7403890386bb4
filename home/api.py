"""Wagtail's read API at /api/v2/, for apps and mini-programs."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


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


class ImagesAPI(CheckedParametersMixin, ImagesAPIViewSet):
    pass


class DocumentsAPI(CheckedParametersMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPI)
api_router.register_endpoint("documents", DocumentsAPI)
