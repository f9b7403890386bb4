"""Snippet listings and choosers narrowed to the user's room (feedback, provenance).

Wagtail's snippet choosers list every row to any admin user: a government editor could read every review
and batch through them. A `ScopedSnippetViewSet` says what each user may see (`scope_for_user`) and its
listing, chooser list, search and chosen views all apply it.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet


class ScopedViewMixin:
    """A chooser view that lists and returns only what `scope(queryset, user)` leaves.

    `scope` comes from the snippet's viewset (`ScopedSnippetViewSet.scope_for_user`); an id outside it
    is a 404, as if it did not exist.
    """

    scope = None

    def get_object_list(self):
        return self.scope(super().get_object_list(), self.request.user)

    def get_object(self, pk):
        return self.scope(self.model_class.objects.all(), self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return self.scope(self.model_class.objects.filter(pk__in=pks), self.request.user)


class ScopedChooseView(ScopedViewMixin, snippet_chooser.ChooseView):
    pass


class ScopedChooseResultsView(ScopedViewMixin, snippet_chooser.ChooseResultsView):
    pass


class ScopedChosenView(ScopedViewMixin, snippet_chooser.SnippetChosenView):
    pass


class ScopedChosenMultipleView(ScopedViewMixin, snippet_chooser.SnippetChosenMultipleView):
    pass


class ScopedCreateView(ScopedViewMixin, snippet_chooser.SnippetCreateView):
    pass


class ScopedSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    scope = None
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_view_class = ScopedCreateView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=self.scope, **kwargs)


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet whose listing and chooser show each user only their room's rows (`scope_for_user`)."""

    chooser_viewset_class = ScopedSnippetChooserViewSet
    # Also answer 404 for another room's row in the views that open one (edit, delete, history...).
    scope_objects = False

    def scope_for_user(self, queryset, user):
        raise NotImplementedError

    def construct_view(self, view_class, **kwargs):
        if self.scope_objects:
            view_class = type(view_class.__name__, (ScopedObjectMixin, view_class), {})
            kwargs["scope"] = self.scope_for_user
        return super().construct_view(view_class, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return self.scope_for_user(queryset, request.user)

    @property
    def chooser_viewset(self):
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            scope=self.scope_for_user,
        )


class ScopedObjectMixin:
    """Edit, delete, history, usage...: a row outside the user's room answers 404, as if it did not exist."""

    scope = None

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            rows = self.model._default_manager.filter(pk=unquote(str(pk)))
            if not self.scope(rows, request.user).exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)
