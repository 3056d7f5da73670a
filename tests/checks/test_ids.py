"""Every check id belongs to one module and is in the README's table of checks."""

from __future__ import annotations

import re
from collections import defaultdict

from tests.paths import ROOT

CHECK_ID = re.compile(r"""id=["'](oidc_claims\.[EW]\d{3})["']""")


def _ids_by_module() -> dict[str, set[str]]:
    modules: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "oidc_claims").rglob("*.py")):
        for check_id in CHECK_ID.findall(path.read_text()):
            modules[check_id].add(str(path.relative_to(ROOT)))
    return modules


def test_no_two_modules_use_one_check_id():
    shared = {check_id: sorted(m) for check_id, m in _ids_by_module().items() if len(m) > 1}
    assert shared == {}


def test_every_check_id_is_in_the_readme_table_once():
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| `(oidc_claims\.[EW]\d{3})` \|", readme, flags=re.MULTILINE)
    assert sorted(rows) == sorted(set(rows)), "an id has two rows"
    assert set(_ids_by_module()) == set(rows)
