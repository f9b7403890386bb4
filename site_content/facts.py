"""Facts kept once: what is not words reads the same in every language, whichever language an editor changes it in.

A page type names its facts: `synchronised_fields` (fields and many-to-many fields: a price, a date, an
image, a region) and `synchronised_children` (a child relation and the fact fields of its rows: a
chapter's second and product, a gallery's image), matched by position, so each language keeps its own
words (chapter titles, captions, shop names). Words are translated; facts are not.

When a live page is saved (a publish, or a script updating sales volumes), the facts it changed are copied
to every translation of it, in the same transaction:
- their rows (saved, so the page cache purges them and Wagtail's own search index follows),
- their latest and live revisions, so a draft opened before the change cannot bring the old price back
  when it is published,
- and `facts_synchronised` is sent with the translations, for the discovery index's outbox.
A link to a page (a story's brand, a chapter's product) points at that page's translation in the
target's language where one exists. A new translation (`copy_for_translation`, the admin's "Translate")
gets its links re-pointed the same way.

Per field, the last publish wins: two editors changing the same price in two languages at once is the
same as two editors of one page.
"""

from django.db import transaction
from django.dispatch import Signal
from wagtail.models import Page
from wagtail.signals import copy_for_translation_done

# Sent after a page's facts were copied into its translations: `source` the page saved, `pages` the
# translations (specific) whose rows now hold the new facts.
facts_synchronised = Signal()


class SynchronisedFactsMixin:
    """Put before `Page` in the bases; name the facts in `synchronised_fields` and `synchronised_children`."""

    synchronised_fields = ()
    synchronised_children = {}

    def save(self, *args, **kwargs):
        if not _should_copy(self, kwargs):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            stored = type(self).objects.filter(pk=self.pk).first()
            before = facts_of(stored) if stored is not None else None
            result = super().save(*args, **kwargs)
            if before is not None:
                after = facts_of(self)
                changed = [name for name in after if after[name] != before[name]]
                if changed:
                    copy_facts(self, changed)
        return result


def _should_copy(page, save_kwargs):
    # Drafts (save_revision) and Wagtail's bookkeeping save with update_fields: they change nothing live.
    return (
        page.pk is not None
        and page.live
        and save_kwargs.get("update_fields") is None
        and not getattr(page, "_copying_facts", False)
    )


def _ordered(rows):
    return sorted(rows, key=lambda row: (getattr(row, "sort_order", 0) or 0, row.pk or 0))


def _field_value(obj, name):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return tuple(sorted(item.pk for item in getattr(obj, name).all()))
    return getattr(obj, field.attname)


def facts_of(page):
    """{fact name: comparable value} of `page`: its fields, many-to-many ids and child rows' facts in order."""
    facts = {name: _field_value(page, name) for name in page.synchronised_fields}
    for relation, fields in page.synchronised_children.items():
        rows = _ordered(getattr(page, relation).all())
        facts[relation] = tuple(tuple(getattr(row, row._meta.get_field(f).attname) for f in fields) for row in rows)
    return facts


def _links_to_page(field):
    related = getattr(field, "related_model", None)
    return isinstance(related, type) and issubclass(related, Page)


def in_locale(page_ids, locale_id):
    """{page id: the id of its translation in `locale_id`, or itself where it has none}."""
    page_ids = [pk for pk in page_ids if pk is not None]
    if not page_ids:
        return {}
    keys = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "translation_key"))
    translated = dict(
        Page.objects.filter(translation_key__in=keys.values(), locale_id=locale_id).values_list("translation_key", "pk")
    )
    return {pk: translated.get(keys.get(pk), pk) for pk in page_ids}


def _copy_field(source, target, name):
    field = source._meta.get_field(name)
    if field.many_to_many:
        ids = [item.pk for item in getattr(source, name).all()]
        if _links_to_page(field):
            mapping = in_locale(ids, target.locale_id)
            ids = [mapping[pk] for pk in ids]
        getattr(target, name).set(field.related_model.objects.filter(pk__in=ids))
        return
    value = getattr(source, field.attname)
    if _links_to_page(field) and value is not None:
        value = in_locale([value], target.locale_id)[value]
    setattr(target, field.attname, value)


def _copy_row_facts(source_row, target_row, fields, locale_id):
    for name in fields:
        field = source_row._meta.get_field(name)
        value = getattr(source_row, field.attname)
        if _links_to_page(field) and value is not None:
            value = in_locale([value], locale_id)[value]
        setattr(target_row, field.attname, value)


def _new_row_like(row, relation_field):
    """A copy of a child row for another page: every field but its key and its page (words too, to be translated)."""
    values = {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name != relation_field
    }
    return type(row)(**values)


def _copy_children(source, target, relation, fields):
    relation_field = source._meta.get_field(relation).field.name
    source_rows = _ordered(getattr(source, relation).all())
    target_rows = _ordered(getattr(target, relation).all())
    rows = []
    for position, source_row in enumerate(source_rows):
        # Matched by position: the translation's row keeps its words (a chapter's title), takes the facts.
        row = target_rows[position] if position < len(target_rows) else _new_row_like(source_row, relation_field)
        _copy_row_facts(source_row, row, fields, target.locale_id)
        rows.append(row)
    setattr(target, relation, rows)


def _patch_revision(revision, data, page, names):
    content = revision.content
    for name in names:
        if name not in data:
            continue  # a plain many-to-many (the home page's brands) is not in revisions: it is saved at once
        if name not in page.synchronised_children:
            content[name] = data[name]
            continue
        fields = page.synchronised_children[name]
        rows = list(content.get(name) or [])
        merged = []
        for position, fresh in enumerate(data.get(name) or []):
            if position < len(rows):
                row = dict(rows[position])
                row.update({f: fresh.get(f) for f in fields})
            else:
                row = fresh
            merged.append(row)
        content[name] = merged
    revision.content = content
    revision.save(update_fields=["content"])


def _patch_revisions(page, names):
    """The facts in the page's latest and live revisions too: publishing an older draft must not undo them."""
    data = page.serializable_data()
    revisions = {r.pk: r for r in (page.latest_revision, page.live_revision) if r is not None}
    for revision in revisions.values():
        _patch_revision(revision, data, page, names)


def copy_facts(source, names, targets=None):
    """Copy the facts `names` of `source` into each of its translations (or `targets`); returns those pages."""
    if targets is None:
        targets = [
            page.specific for page in Page.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk)
        ]
    for target in targets:
        for name in names:
            if name in source.synchronised_children:
                _copy_children(source, target, name, source.synchronised_children[name])
            else:
                _copy_field(source, target, name)
        # clean=False: the facts were validated on the source; the translation's words are not re-checked.
        target._copying_facts = True
        try:
            target.save(clean=False)
        finally:
            target._copying_facts = False
        _patch_revisions(target, names)
    if targets:
        facts_synchronised.send(sender=type(source), source=source, pages=targets)
    return targets


def _links_of(page):
    """The facts of `page` that link to pages: a new translation points them at its own language."""
    names = [n for n in page.synchronised_fields if _links_to_page(page._meta.get_field(n))]
    for relation, fields in page.synchronised_children.items():
        model = page._meta.get_field(relation).related_model
        if any(_links_to_page(model._meta.get_field(f)) for f in fields):
            names.append(relation)
    return names


def on_translation_copied(sender, source_obj, target_obj, **kwargs):
    """copy_for_translation_done: the new translation's brand, products and chapters' products in its language."""
    target = target_obj.specific if isinstance(target_obj, Page) else target_obj
    if not isinstance(target, SynchronisedFactsMixin) or target.alias_of_id:
        return
    names = _links_of(target)
    if names:
        copy_facts(source_obj.specific, names, targets=[target])


def connect():
    copy_for_translation_done.connect(on_translation_copied, dispatch_uid="facts_translation_copied")
