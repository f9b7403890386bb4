"""The Nu Html Checker (vnu.jar from npm, run by Java) and readable reports of its and axe-core's findings."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.prerequisites import missing

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command():
    java = shutil.which("java")
    if java is None:
        missing("java is missing: the Nu Html Checker needs Java 17 (apt-get install openjdk-17-jre-headless)")
    if not VNU_JAR.exists():
        missing(f"{VNU_JAR.relative_to(ROOT)} is missing: run scripts/node-deps.sh (npm ci)")
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def validate(files):
    """Every message vnu has about `files`, checked in one JVM (starting Java per page is slow), by file name."""
    result = subprocess.run(  # noqa: S603 — our own pinned jar, file names we wrote
        [*vnu_command(), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu gave no JSON report (exit {result.returncode}):\n{result.stderr[-2000:]}") from None
    by_file = {Path(f).name: [] for f in files}
    for message in messages:
        name = Path(message.get("url", "").removeprefix("file:")).name
        by_file.setdefault(name, []).append(message)
    return by_file


def is_error(message):
    # "non-document-error" is vnu failing to read a file: as fatal as an error in it.
    return message.get("type") in ("error", "non-document-error") or message.get("subType") == "fatal"


def readable_vnu(label, messages, source):
    lines = source.splitlines()
    out = [f"{label}: {len(messages)} HTML error(s)"]
    for m in messages:
        line = m.get("lastLine")
        out.append(f"  line {line}: {m.get('message')}")
        extract = (m.get("extract") or "").replace("\n", "⏎")
        if extract:
            out.append(f"      {extract[:200]}")
        elif line and 0 < line <= len(lines):
            out.append(f"      {lines[line - 1].strip()[:200]}")
    return "\n".join(out)


def readable_axe(label, violations):
    out = [f"{label}: {len(violations)} axe violation(s)"]
    for v in violations:
        out.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            out.append(f"      at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                out.append(f"         {summary[:300]}")
        if len(v["nodes"]) > 5:
            out.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(out)
