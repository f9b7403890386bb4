/*
 * Admin: a Chinese title's slug in pinyin, as the editor types (site_content/slugs.py makes it).
 *
 * Wagtail syncs the title into the slug field through its w-sync and w-slug controllers, whose
 * transliteration knows no Chinese: with ASCII-only slugs a Chinese title gave an empty slug. Slug
 * inputs of this site's forms carry data-pinyin-slug-url (site_content/admin_forms.py). For a title
 * with Chinese characters, this script takes the sync event before Wagtail's controller and asks the
 * server instead; Latin titles are left to Wagtail.
 */
(function () {
  'use strict';

  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var requests = new WeakMap();

  function isPinyinSlug(element) {
    return element instanceof HTMLInputElement && Boolean(element.dataset.pinyinSlugUrl);
  }

  function fill(slug, text) {
    var url = new URL(slug.dataset.pinyinSlugUrl, window.location.origin);
    url.searchParams.set('title', text.slice(0, 255));
    var previous = requests.get(slug);
    if (previous) previous.abort(); // only the latest title's answer counts
    var controller = new AbortController();
    requests.set(slug, controller);
    slug.dataset.pinyinSlugPending = 'true';
    return fetch(url, { signal: controller.signal, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('pinyin slug: HTTP ' + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.slug) return;
        slug.value = data.slug;
        slug.dataset.pinyinSlug = data.slug; // what this script wrote: still "in sync" while unchanged
        slug.dispatchEvent(new Event('change', { bubbles: true }));
      })
      .catch(function (error) {
        // A failed request leaves the slug as it was: the form fills an empty one on save.
        if (error.name !== 'AbortError') console.warn(error); // eslint-disable-line no-console
      })
      .finally(function () {
        if (requests.get(slug) === controller) delete slug.dataset.pinyinSlugPending;
      });
  }

  // Capture phase on the document runs before the slug input's own Stimulus actions.
  document.addEventListener(
    'w-sync:apply',
    function (event) {
      var slug = event.target;
      var text = (event.detail && event.detail.value) || '';
      if (!isPinyinSlug(slug) || !HAN.test(text)) return;
      event.preventDefault(); // the title is not copied in as it is ...
      event.stopImmediatePropagation(); // ... nor stripped to nothing by w-slug#urlify
      fill(slug, text);
    },
    true,
  );

  // When the title gets focus, Wagtail's w-slug compares the slug with its own transliteration of the
  // title and stops syncing if they differ, which a pinyin slug always would: skip that comparison
  // while the slug is still the one this script wrote.
  document.addEventListener(
    'w-sync:check',
    function (event) {
      var slug = event.target;
      if (isPinyinSlug(slug) && slug.dataset.pinyinSlug && slug.value === slug.dataset.pinyinSlug) {
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // Chinese typed into the slug field itself becomes pinyin too, rather than being stripped on blur.
  document.addEventListener(
    'blur',
    function (event) {
      var slug = event.target;
      if (!isPinyinSlug(slug) || !HAN.test(slug.value)) return;
      event.stopImmediatePropagation();
      fill(slug, slug.value);
    },
    true,
  );
})();
