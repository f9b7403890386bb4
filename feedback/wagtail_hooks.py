"""Moderating reviews and questions in the Wagtail admin: approve, reject with a reason, answer.

Brand editors see and moderate only the feedback on pages they may edit; superusers and holders of
`feedback.moderate_all_feedback` see everything. Reviews and questions are not created here: they
come from buyers.
"""

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, HistoryView, SnippetViewSetGroup

from brands.structured_data import PRODUCT_DATA_HOOK
from site_content.snippets import ScopedSnippetViewSet

from .models import BODY_MAX_LENGTH, TRANSLATION_HELP, Answer, Question, Review, Status
from .permissions import can_moderate, scope_for_user
from .schema import rating_data

MODERATION_CHOICES = [(s.value, s.label) for s in Status if s != Status.UNCONFIRMED]


class ModerationForm(WagtailAdminModelForm):
    """Status, reason and the brand's answer in one form; saving it is the moderator's decision."""

    answer = forms.CharField(
        label=_("Public answer from the brand"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review or question once it is approved. Leave empty for no answer."),
    )
    answer_translation = forms.CharField(
        label=_("Public answer, translated"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TRANSLATION_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].choices = MODERATION_CHOICES
        existing = self.instance.answer_or_none if self.instance.pk else None
        if existing is not None:
            self.fields["answer"].initial = existing.body
            self.fields["answer_translation"].initial = existing.body_translation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.REJECTED and cleaned.get("answer"):
            self.add_error("answer", _("A rejected item is not shown, so its answer would not be either."))
        if cleaned.get("answer_translation", "").strip() and not cleaned.get("answer", "").strip():
            self.add_error("answer_translation", _("Write the answer first: this is its translation."))
        return cleaned

    def save(self, commit=True):
        item = super().save(commit=False)
        if "status" in self.changed_data:
            item.moderated_at = timezone.now()
        if item.status != Status.REJECTED:
            item.rejection_reason = ""
        if commit:
            with transaction.atomic():
                item.save()
                self._save_answer(item)
        return item

    def _save_answer(self, item):
        text = (self.cleaned_data.get("answer") or "").strip()
        translated = (self.cleaned_data.get("answer_translation") or "").strip()
        existing = item.answer_or_none
        if not text:
            if existing is not None:
                existing.delete()
            return
        if existing is None:
            field = "review" if isinstance(item, Review) else "question"
            Answer.objects.create(**{field: item}, body=text, body_translation=translated, answered_by=self.for_user)
        elif (existing.body, existing.body_translation) != (text, translated):
            # Rewording keeps the original answered_at: the response-time figures measure the first reply.
            existing.body, existing.body_translation = text, translated
            existing.save(update_fields=["body", "body_translation"])


class FeedbackFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MODERATION_CHOICES)
    unanswered = django_filters.BooleanFilter(label=_("Unanswered"), method="filter_unanswered")
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("oldest", _("Oldest first")), ("newest", _("Newest first"))],
        method="filter_sort",
        empty_label=None,
    )

    def filter_unanswered(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.unanswered() if value else queryset.answered()

    def filter_sort(self, queryset, name, value):
        return queryset.order_by("created_at", "pk") if value == "oldest" else queryset.order_by("-created_at", "-pk")


class ReviewFilterSet(FeedbackFilterSet):
    class Meta:
        model = Review
        fields = ["status", "batch_verified", "package_verified", "rating"]


class QuestionFilterSet(FeedbackFilterSet):
    class Meta:
        model = Question
        fields = ["status"]


class FeedbackPermissionPolicy(ModelPermissionPolicy):
    """Model permissions as usual, except nobody adds feedback in the admin, and per-item checks follow brands."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_moderate(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)


register_permission_policy(Review, FeedbackPermissionPolicy(Review))
register_permission_policy(Question, FeedbackPermissionPolicy(Question))


class BrandScopedObjectMixin:
    """A brand editor asking for another brand's feedback by id gets a 403 response, not the item.

    Checked in dispatch() and answered with a real 403: a PermissionDenied raised inside a Wagtail
    admin view becomes a redirect to the dashboard, which tells scripts and tests nothing.
    """

    def dispatch(self, request, *args, **kwargs):
        obj = getattr(self, "object", None)
        if obj is None:
            obj = self.model._default_manager.filter(pk=unquote(str(kwargs.get("pk", "")))).first()
        if obj is not None and not can_moderate(request.user, obj):
            return TemplateResponse(
                request, "feedback/admin/forbidden.html", {"verbose_name": self.model._meta.verbose_name}, status=403
            )
        return super().dispatch(request, *args, **kwargs)


class FeedbackEditView(BrandScopedObjectMixin, EditView):
    pass


class FeedbackDeleteView(BrandScopedObjectMixin, DeleteView):
    pass


class FeedbackHistoryView(BrandScopedObjectMixin, HistoryView):
    pass


class FeedbackViewSet(ScopedSnippetViewSet):
    edit_view_class = FeedbackEditView
    delete_view_class = FeedbackDeleteView
    history_view_class = FeedbackHistoryView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_admin_menu = False

    def scope_for_user(self, queryset, user):
        # The listing and the chooser alike: confirmed items on the pages the user moderates.
        return scope_for_user(queryset.moderatable(), user)

    def get_queryset(self, request):
        queryset = self.model.objects.select_related("answer", self.page_relation)
        return self.scope_for_user(queryset, request.user).order_by("-created_at", "-pk")


_moderation_panels = [
    FieldRowPanel([FieldPanel("status"), FieldPanel("rejection_reason")], heading=_("Decision")),
    FieldPanel("answer"),
]


def _translation_panel(*fields):
    """The editors' translation of the buyer's words and of the answer: shown beside them, never instead."""
    return MultiFieldPanel(
        [*(FieldPanel(name) for name in fields), FieldPanel("answer_translation")],
        heading=_("Translation for readers of the other language"),
    )


class ReviewViewSet(FeedbackViewSet):
    model = Review
    page_relation = "product"
    icon = "pick"
    menu_label = _("Reviews")
    filterset_class = ReviewFilterSet
    list_display = [
        Column("__str__", label=_("Review")),
        Column("product", label=_("Product")),
        Column("display_name", label=_("Buyer")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        BooleanColumn("is_answered", label=_("Answered")),
        BooleanColumn("batch_verified", label=_("Lot code matches")),
        BooleanColumn("package_verified", label=_("Package verified")),
        DateColumn("created_at", label=_("Submitted"), sort_key="created_at"),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("product", read_only=True),
                    FieldRowPanel([FieldPanel("rating", read_only=True), FieldPanel("title", read_only=True)]),
                    FieldPanel("body", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("display_name", read_only=True),
                            FieldPanel("lot_code", read_only=True),
                            FieldPanel("batch_verified", read_only=True),
                            FieldPanel("package_verified", read_only=True),
                        ]
                    ),
                    FieldRowPanel(
                        [FieldPanel("created_at", read_only=True), FieldPanel("confirmed_at", read_only=True)]
                    ),
                ],
                heading=_("The review"),
            ),
            *_moderation_panels,
            _translation_panel("title_translation", "body_translation"),
        ],
        base_form_class=ModerationForm,
    )


class QuestionViewSet(FeedbackViewSet):
    model = Question
    page_relation = "page"
    icon = "help"
    menu_label = _("Questions")
    filterset_class = QuestionFilterSet
    list_display = [
        Column("__str__", label=_("Question")),
        Column("page", label=_("Asked on")),
        Column("display_name", label=_("Buyer")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        BooleanColumn("is_answered", label=_("Answered")),
        DateColumn("created_at", label=_("Submitted"), sort_key="created_at"),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("page", read_only=True),
                    FieldPanel("body", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("display_name", read_only=True),
                            FieldPanel("created_at", read_only=True),
                            FieldPanel("confirmed_at", read_only=True),
                        ]
                    ),
                ],
                heading=_("The question"),
            ),
            *_moderation_panels,
            _translation_panel("body_translation"),
        ],
        base_form_class=ModerationForm,
    )


class FeedbackGroup(SnippetViewSetGroup):
    menu_label = _("Buyer feedback")
    menu_icon = "pick"
    menu_order = 260
    items = (ReviewViewSet, QuestionViewSet)


register_snippet(FeedbackGroup)


def pending_counts(user):
    """{"reviews": n, "questions": n} awaiting a decision among what `user` may moderate."""
    return {
        "reviews": scope_for_user(Review.objects.pending(), user).count(),
        "questions": scope_for_user(Question.objects.pending(), user).count(),
    }


class PendingFeedbackPanel(Component):
    name = "pending_feedback"
    order = 90

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        counts = pending_counts(self.user)
        return render_to_string(
            "feedback/admin/pending_panel.html",
            {"counts": counts, "total": sum(counts.values())},
            request=parent_context.get("request") if parent_context else None,
        )


@hooks.register("construct_homepage_panels")
def add_pending_feedback_panel(request, panels):
    user = request.user
    if user.has_perm("feedback.change_review") or user.has_perm("feedback.change_question"):
        panels.append(PendingFeedbackPanel(user))


# A product's JSON-LD carries its rating: brands asks, feedback answers (brands never imports feedback).
hooks.register(PRODUCT_DATA_HOOK, rating_data)
