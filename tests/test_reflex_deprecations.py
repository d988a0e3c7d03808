"""The UI uses nothing Reflex has deprecated: what warns in 0.10 breaks in 0.11."""

import json
import subprocess
import sys

from billing_app.settings import PROJECT_ROOT

BUILD_EVERY_PAGE = """
import json, logging

class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

collect = Collect()
logging.getLogger("reflex.deprecation").addHandler(collect)

import billing_app.billing_app  # the app and every page module, as `reflex run` loads them
from billing_app.ui.layout.page import REGISTRY
from billing_app.ui.pages.public import login_page, not_allowed_page, not_found_page

for build in [login_page, not_allowed_page, not_found_page, *(page.component for page in REGISTRY)]:
    build()
print(json.dumps({"pages": len(REGISTRY) + 3, "deprecations": collect.messages}))
"""


def test_no_page_uses_a_deprecated_reflex_feature():
    """Builds every page in a fresh interpreter (Reflex warns once per process) and fails on
    any deprecation Reflex reports, e.g. a form control submitted by its `id`."""
    run = subprocess.run([sys.executable, "-c", BUILD_EVERY_PAGE], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["pages"] > 10
    assert result["deprecations"] == []
