"""The distribution carries what a site needs at run time: templates, migrations, the grammar."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "oidc_claims"


def package_files(pattern: str) -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path in PACKAGE.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("django_oidc_claims-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.parametrize("pattern", ["templates/**/*", "migrations/*.py", "**/*.lark"])
def test_wheel_contains_package_data(wheel_names, pattern):
    expected = package_files(pattern)
    assert expected, f"the source tree has no {pattern}"
    assert expected <= wheel_names, sorted(expected - wheel_names)


def test_wheel_contains_no_tests_or_example_project(wheel_names):
    assert not any(name.startswith(("tests/", "example_project/")) for name in wheel_names)
