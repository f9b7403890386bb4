"""Django's `{# #}` comment ends on its own line: one that spans lines is printed on the page as text."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR).glob("*/**/templates/**/*.html")) + sorted(
    Path(settings.BASE_DIR, "templates").rglob("*.html")
)


def test_no_template_comment_spans_lines():
    """Each `{#` closes with `#}` on the same line (use {% comment %} for more); the trace page once showed one."""
    assert len(TEMPLATES) > 50
    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in set(TEMPLATES)
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert unclosed == []
