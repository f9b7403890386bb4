"""Every page type renders, lives only where it belongs, and works in the admin's editor and preview."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from brands.models import FarmBrandIndexPage, FarmBrandPage, ProductPage
from home.models import HomePage
from stories.models import (
    BrandStoryPage,
    BroadcastReplayPage,
    PolicyIndexPage,
    PolicyNewsPage,
    ReplayIndexPage,
    StoryIndexPage,
)
from tests import factories
from tests.admin_forms import edit_form_data, stream_field_data

ALL_PAGE_TYPES = [
    HomePage,
    FarmBrandIndexPage,
    FarmBrandPage,
    ProductPage,
    StoryIndexPage,
    BrandStoryPage,
    ReplayIndexPage,
    BroadcastReplayPage,
    PolicyIndexPage,
    PolicyNewsPage,
]

# The whole site's shape: which page type may live under which. Anything else is refused.
ALLOWED_PARENTS = {
    HomePage: {Page},
    FarmBrandIndexPage: {HomePage},
    FarmBrandPage: {FarmBrandIndexPage},
    ProductPage: {FarmBrandPage},
    StoryIndexPage: {HomePage},
    BrandStoryPage: {StoryIndexPage},
    ReplayIndexPage: {HomePage},
    BroadcastReplayPage: {ReplayIndexPage},
    PolicyIndexPage: {HomePage, PolicyIndexPage},
    PolicyNewsPage: {PolicyIndexPage},
}


class PageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        tree = factories.make_site_tree()
        cls.home = tree.home
        brand = factories.make_brand(tree.brands)
        product = factories.make_product(brand)
        section = factories.make_policy_section(parent=tree.policy)
        cls.pages = {
            HomePage: tree.home,
            FarmBrandIndexPage: tree.brands,
            FarmBrandPage: brand,
            ProductPage: product,
            StoryIndexPage: tree.stories,
            BrandStoryPage: factories.make_story(tree.stories, brand=brand, products=[product]),
            ReplayIndexPage: tree.replays,
            BroadcastReplayPage: factories.make_broadcast(tree.replays, brand=brand),
            PolicyIndexPage: section,
            PolicyNewsPage: factories.make_policy_news(section),
        }

    def test_every_page_type_is_covered(self):
        """A new page type must be added here, so it gets the same checks."""
        page_models = {m for m in Page.allowed_subpage_models() if m is not Page} | set(ALL_PAGE_TYPES)
        for model in list(page_models):
            page_models |= set(model.allowed_subpage_models())
        self.assertEqual(page_models, set(ALL_PAGE_TYPES))

    def test_each_page_type_renders(self):
        """Every page type answers 200 to an anonymous visitor."""
        for model, page in self.pages.items():
            with self.subTest(model.__name__):
                self.assertPageIsRenderable(page)

    def test_each_page_type_allows_only_its_parents(self):
        """The allowed parent types are exactly the site's intended shape."""
        for model, parents in ALLOWED_PARENTS.items():
            with self.subTest(model.__name__):
                self.assertAllowedParentPageTypes(model, parents)

    def test_each_page_type_can_be_created_only_under_its_parents(self):
        """Creating a page type anywhere else is refused."""
        for child, parents in ALLOWED_PARENTS.items():
            for parent in ALL_PAGE_TYPES:
                with self.subTest(child=child.__name__, parent=parent.__name__):
                    if parent in parents:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)

    def test_leaf_pages_have_no_children(self):
        """Products, stories, broadcasts and policy news are leaves."""
        for model in (ProductPage, BrandStoryPage, BroadcastReplayPage, PolicyNewsPage):
            with self.subTest(model.__name__):
                self.assertAllowedSubpageTypes(model, set())

    def test_each_page_type_is_editable(self):
        """The admin's edit form loads and publishes each page type."""
        editor = self.create_superuser("editor")
        for model, page in self.pages.items():
            with self.subTest(model.__name__):
                self.client.force_login(editor)
                self.assertPageIsEditable(page, post_data=edit_form_data(self.client, page), user=editor)
                # assertPageIsEditable only proves nothing crashed; the publish must also succeed.
                self.client.force_login(editor)
                path = reverse("wagtailadmin_pages:edit", args=(page.pk,))
                response = self.client.post(path, edit_form_data(self.client, page))
                form = response.context.get("form") if response.context else None
                self.assertEqual(response.status_code, 302, form.errors if form is not None else response)

    def test_each_page_type_is_previewable(self):
        """The admin's live preview renders each page type."""
        editor = self.create_superuser("previewer")
        for model, page in self.pages.items():
            with self.subTest(model.__name__):
                self.client.force_login(editor)
                data = edit_form_data(self.client, page)
                data.update(stream_field_data(model))
                self.assertPageIsPreviewable(page, post_data=data, user=editor)

    def test_each_page_type_describes_itself_to_editors(self):
        """Editors choosing a page type see what it is for, and search indexes more than the title."""
        for model in ALL_PAGE_TYPES:
            with self.subTest(model.__name__):
                self.assertTrue(str(model.page_description))
                self.assertTrue(model.search_fields)
