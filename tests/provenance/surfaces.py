"""Every place a buyer or an auditor sees a batch's state: the page, the JSON, trace_verify, the offline script.

Attack tests call `all_surfaces` and assert that each one reports the break.
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from brands import transparency

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_provenance.py"


@dataclass
class Surfaces:
    page: str
    page_status: int
    page_cache_control: str
    data: dict
    verify_exit: int
    verify_output: str
    offline_exit: int
    offline_output: str

    @property
    def broken_everywhere(self):
        return (
            "Not verified" in self.page
            and "no-store" in self.page_cache_control
            and self.data["verified"] is False
            and self.verify_exit == 1
            and self.offline_exit == 1
        )


def trace_verify(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("trace_verify", *args, stdout=out, stderr=err, no_color=True)
    except CommandError as error:
        return 1, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


def offline(tmp_path, bundle, *extra, key=None):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    key = key or str(transparency.verifier())
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), str(path), "--key", key, *extra], capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stdout + result.stderr


def bundle_of(client, batch, **params):
    response = client.get(f"/trace/{batch.display_code}/bundle.json", params)
    assert response.status_code == 200
    return response.json()


def all_surfaces(client, batch, tmp_path):
    page = client.get(f"/en/trace/{batch.display_code}/")  # English messages: the default language is Chinese
    data = client.get(f"/trace/{batch.display_code}/", {"format": "json"}).json()
    verify_exit, verify_output = trace_verify()
    offline_exit, offline_output = offline(tmp_path, bundle_of(client, batch))
    return Surfaces(
        page.content.decode(),
        page.status_code,
        page.get("Cache-Control", ""),
        data,
        verify_exit,
        verify_output,
        offline_exit,
        offline_output,
    )
