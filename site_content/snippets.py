"""The project's snippet viewsets: choosers in each editor's language, and listings narrowed to a room.

Every snippet registers with `SiteSnippetViewSet` (or a subclass), whose chooser widget writes its buttons
in the language of the request that shows them (`SnippetChooser`).

Wagtail's snippet choosers list every row to any admin user: a government editor could read every review
and batch through them. A `ScopedSnippetViewSet` says what each user may see (`scope_for_user`) and its
listing, chooser list, search and chosen views all apply it.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.functional import lazy
from django.utils.translation import gettext
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


def _with_object(msgid, name):
    return gettext(msgid) % {"object": name}


# Wagtail's own msgids, translated by Wagtail's catalogue when the text is shown.
_with_object_lazy = lazy(_with_object, str)


class SnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, its "Choose region" buttons in the language of each request.

    Wagtail formats them when the widget is built, and a panel's form class, widgets included, is built once
    per process: the language of the first editor to open a form stayed on its buttons for every editor after.
    """

    def __init__(self, model=None, **kwargs):
        super().__init__(model=model, **kwargs)
        name = self.model._meta.verbose_name
        self.choose_one_text = _with_object_lazy("Choose %(object)s", name)
        self.choose_another_text = _with_object_lazy("Choose another %(object)s", name)
        self.link_to_chosen_text = _with_object_lazy("Edit this %(object)s", name)


class SiteSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    base_widget_class = SnippetChooser


class SiteSnippetViewSet(SnippetViewSet):
    """What every snippet registers with: `register_snippet(Model, viewset=SiteSnippetViewSet)`."""

    chooser_viewset_class = SiteSnippetChooserViewSet


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


class ScopedSnippetChooserViewSet(SiteSnippetChooserViewSet):
    scope = None
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_view_class = ScopedCreateView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=self.scope, **kwargs)


class ScopedSnippetViewSet(SiteSnippetViewSet):
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
