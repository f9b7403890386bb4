"""The Simplified Chinese and English catalogues in locale/: complete, well-formed, current, and in use."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

from tests import factories
from tests.prerequisites import missing

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
# Apps with their own catalogues; makemessages skips them for locale/ (see the header of ZH_PO).
OWN_CATALOGUES = ("feedback", "search")
# Where the strings of locale/ come from.
SOURCE_DIRS = ("brands", "home", "site_content", "stories", "templates")

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")
CJK = re.compile(r"[\u4e00-\u9fff]")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}


def _unquote(line):
    return ast.literal_eval(line.strip())


def parse_po(path):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (a list), flags. Header and obsolete skipped."""
    entries = []
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8")):
        entry, key = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            elif line:
                keyword, value = line.split(" ", 1)
                match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                key = int(match.group(1)) if match else 0 if keyword == "msgstr" else keyword
                if isinstance(key, int):
                    entry["msgstr"][key] = _unquote(value)
                else:
                    entry[key] = _unquote(value)
        if entry.get("msgid"):
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def zh_entries():
    return parse_po(ZH_PO)


@pytest.fixture(scope="module")
def compiled_catalogues(django_db_blocker):
    """Compile locale/ when a .mo is missing or older than its .po, so rendering tests see the current text."""
    stale = [
        po
        for po in (ZH_PO, EN_PO)
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command(
            "compilemessages", locale=["zh_Hans", "en"], ignore_patterns=[".venv", *OWN_CATALOGUES], verbosity=0
        )
        # Django caches catalogues per process; drop them so the fresh .mo files are read.
        trans_real._translations = {}
        trans_real._default = None
        translation.deactivate()


def test_every_chinese_msgid_is_translated(zh_entries):
    """No UI string falls back to English on the Chinese site: every msgid has a non-empty msgstr."""
    untranslated = [e["msgid"] for e in zh_entries if not all(e["msgstr"]) or not e["msgstr"]]
    assert not untranslated, f"{len(untranslated)} untranslated in {ZH_PO}: {untranslated[:10]}"


def test_no_chinese_translation_is_fuzzy(zh_entries):
    """Fuzzy entries are skipped by msgfmt, so a fuzzy msgstr would silently show English."""
    fuzzy = [e["msgid"] for e in zh_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries in {ZH_PO}: {fuzzy[:10]}"


def test_chinese_placeholders_match_their_msgid(zh_entries):
    """Each msgstr uses exactly the %(name)s placeholders of its msgid, so formatting cannot raise or drop values."""
    mismatched = []
    for entry in zh_entries:
        expected = {tuple(placeholders(entry["msgid"]))}
        if "msgid_plural" in entry:
            expected.add(tuple(placeholders(entry["msgid_plural"])))
        mismatched += [(entry["msgid"], s) for s in entry["msgstr"] if tuple(placeholders(s)) not in expected]
    assert not mismatched, mismatched


def test_chinese_plural_forms_are_one():
    """Chinese has a single plural form: the header says so and no entry carries a second msgstr."""
    text = ZH_PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert "msgstr[1]" not in text


def test_chinese_msgids_have_english_translations():
    """A msgid written only in Chinese in the code must be translated on the English site."""
    missing = [
        e["msgid"]
        for e in parse_po(EN_PO)
        if CJK.search(e["msgid"]) and not re.search("[A-Za-z]", e["msgid"]) and not all(e["msgstr"])
    ]
    assert not missing, f"Chinese msgids without English in {EN_PO}: {missing}"


# Every committed catalogue, the apps' own included: a plural entry with two forms in Chinese
# once slipped into feedback/'s and only msgfmt --check noticed.
ALL_PO = sorted(
    p.relative_to(settings.BASE_DIR)
    for pattern in ("locale/*/LC_MESSAGES/django.po", "*/locale/*/LC_MESSAGES/django.po")
    for p in Path(settings.BASE_DIR).glob(pattern)
    if ".venv" not in p.parts
)


@pytest.mark.parametrize("po", ALL_PO, ids=str)
def test_catalogue_passes_msgfmt_check(po):
    """msgfmt --check (format strings, header, plural forms) accepts every catalogue, as compilemessages needs."""
    if not shutil.which("msgfmt"):
        # make test installs gettext before compiling messages: missing it in CI is a set-up bug.
        missing("GNU gettext's msgfmt is missing: scripts/system-deps.sh installs gettext")
    po = Path(settings.BASE_DIR) / po
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def _template_strings(path):
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')(?![^%]*\bcontext\b)", text)
    found += re.findall(r"\b_\((\"[^\"]*\"|'[^']*')\)", text)
    return {ast.literal_eval(s) for s in found}


def _python_strings(path):
    strings = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_NAMES
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            strings.add(node.args[0].value)
    return strings


def _source_files():
    base = Path(settings.BASE_DIR)
    for top in SOURCE_DIRS:
        for path in sorted((base / top).rglob("*")):
            parts = path.relative_to(base).parts
            if "migrations" in parts or any(app in parts for app in OWN_CATALOGUES) or not path.is_file():
                continue
            if path.suffix in {".html", ".txt"} or path.suffix == ".py":
                yield path


def test_catalogue_has_every_string_marked_in_the_code(zh_entries):
    """Every literal {% translate %} / _() string of brands, site_content, stories and templates is in locale/.

    When this fails, re-run the makemessages command in the header of locale/zh_Hans/.../django.po and translate.
    """
    known = {e["msgid"] for e in zh_entries}
    missing = []
    for path in _source_files():
        strings = _python_strings(path) if path.suffix == ".py" else _template_strings(path)
        missing += [f"{path.relative_to(settings.BASE_DIR)}: {s!r}" for s in sorted(strings - known)]
    assert not missing, "\n".join(missing)


@pytest.fixture
def english_home(site_tree):
    return factories.make_english_translation(site_tree.home, title="Farmcast")


def test_home_page_ui_is_chinese_at_root(client, english_home, compiled_catalogues):
    """At / the header, search box and skip link come from the Chinese catalogue."""
    html = client.get("/").content.decode()
    for text in ("跳到正文", ">搜索</button>", 'placeholder="搜索品牌、产品、回放"', 'aria-label="主导航"', "农播："):
        assert text in html, text
    assert "Skip to content" not in html


def test_home_page_ui_is_english_under_en(client, english_home, compiled_catalogues):
    """At /en/ the same UI strings are English: the msgids, untouched by the Chinese catalogue."""
    html = client.get("/en/").content.decode()
    for text in ("Skip to content", ">Search</button>", 'placeholder="Search brands, products, replays"'):
        assert text in html, text
    assert "跳到正文" not in html


def test_brand_page_labels_are_chinese(client, brand, compiled_catalogues):
    """A brand page's section labels and producer type (a model choice) render in Chinese."""
    html = client.get(brand.url).content.decode()
    for text in ("品牌故事", "地区", "合作社"):
        assert text in html, text
