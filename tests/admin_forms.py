"""Build the POST data the Wagtail admin's page forms send, for tests that submit them."""

from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

STORY = streamfield(
    [
        ("heading", {"text": "黑土地上的一粒米", "level": "h2"}),
        ("paragraph", rich_text("<p>五常大米生长在黑龙江的黑土地上。</p>")),
    ]
)


def stream_field_data(model):
    """The admin renders StreamFields with JavaScript, so their form data is built by hand."""
    return nested_form_data({field.name: STORY for field in model._meta.get_fields() if isinstance(field, StreamField)})


def edit_form_data(client, page, **changes):
    """The page's edit form as the admin would submit it for publishing, with `changes` applied."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200, response
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(stream_field_data(type(page)))
    for key, value in changes.items():
        data[key] = value
    data["action-publish"] = "action-publish"
    return data


def form_errors(response):
    """Field name → messages from the admin form a rejected POST re-rendered."""
    assert response.status_code == 200, f"expected the form back with errors, got {response.status_code}"
    form = response.context["form"]
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def add_form_data(client, model, parent, **changes):
    """The create form for a `model` page under `parent`, as the admin would submit it for publishing."""
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    response = client.get(url)
    assert response.status_code == 200, response
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(stream_field_data(model))
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    data["action-publish"] = "action-publish"
    return url, data
