"""The dependency files agree: pyproject.toml declares, requirements*.txt pin.

Production installs requirements.txt alone, so a test or lint tool there would ship to every
server; and a runtime dependency declared in pyproject.toml but missing from the pins would
be installed at whatever version the day's PyPI offers. scripts/lock.sh writes the pins.
No database: these read files only.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent

# Development and test tools that must never reach a production install.
DEV_ONLY = ["pytest", "playwright", "mypy", "ruff", "hypothesis", "pre-commit", "django-stubs"]
# Runtime packages whose names start like a tool's: django-stubs-ext is a small runtime
# helper that django-tasks imports, not the type stubs.
RUNTIME_LOOKALIKES = {"django-stubs-ext"}


def pins(name: str) -> dict[str, Version]:
    """``{canonical name: pinned version}`` of a requirements file, ignoring ``-r`` lines."""
    pinned: dict[str, Version] = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # exactly one, and it must be ==
        assert specifier.operator == "==", f"{name}: {line!r} is not pinned with =="
        pinned[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pinned


def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def group(name: str) -> list[Requirement]:
    """A dependency group of pyproject.toml, with the groups it includes."""
    requirements = []
    for entry in pyproject()["dependency-groups"][name]:
        if isinstance(entry, dict):
            requirements += group(entry["include-group"])
        else:
            requirements.append(Requirement(entry))
    return requirements


@pytest.mark.parametrize("tool", DEV_ONLY)
def test_production_pins_hold_no_dev_tool(tool):
    runtime = pins("requirements.txt")
    found = sorted(
        name for name in runtime if (name == tool or name.startswith(f"{tool}-")) and name not in RUNTIME_LOOKALIKES
    )
    assert not found, f"requirements.txt (production) pins {found}: move them to the dev group in pyproject.toml"


@pytest.mark.parametrize("requirement", pyproject()["project"]["dependencies"])
def test_every_runtime_dependency_is_pinned_within_its_range(requirement):
    requirement = Requirement(requirement)
    runtime = pins("requirements.txt")
    name = canonicalize_name(requirement.name)
    assert name in runtime, f"{requirement.name} is declared in pyproject.toml but not pinned in requirements.txt"
    assert requirement.specifier.contains(runtime[name], prereleases=True), (
        f"requirements.txt pins {requirement.name}=={runtime[name]}, outside pyproject.toml's {requirement.specifier}"
    )


def test_every_dev_tool_is_pinned_within_its_range():
    everything = pins("requirements.txt") | pins("requirements-dev.txt")
    for requirement in group("dev"):
        name = canonicalize_name(requirement.name)
        assert name in everything, f"{requirement.name} (dev group) is not pinned in requirements-dev.txt"
        assert requirement.specifier.contains(everything[name], prereleases=True), (
            f"requirements-dev.txt pins {requirement.name}=={everything[name]}, outside {requirement.specifier}"
        )


def test_dev_pins_build_on_the_runtime_pins_without_repeating_them():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines, "requirements-dev.txt must include the runtime pins"
    repeated = sorted(pins("requirements.txt").keys() & pins("requirements-dev.txt").keys())
    assert not repeated, f"pinned in both requirements files: {repeated}"


# django-rules registered no rule; pytz and six come only with vobject, which only the tests
# use. (python-dateutil stays: icalendar needs it.)
@pytest.mark.parametrize("package", ["rules", "pytz", "six", "vobject"])
def test_runtime_pins_hold_none_of_the_packages_the_app_does_not_use(package):
    assert package not in pins("requirements.txt")


def vendored() -> tuple[list[list[str]], list[list[str]]]:
    """The ``package`` and ``file`` records of static/vendor/VERSIONS."""
    records = [line.split() for line in (ROOT / "static/vendor/VERSIONS").read_text().splitlines()]
    records = [record for record in records if record and not record[0].startswith("#")]
    return [r[1:] for r in records if r[0] == "package"], [r[1:] for r in records if r[0] == "file"]


def test_vendored_files_are_what_static_vendor_versions_records():
    import hashlib

    _packages, files = vendored()
    assert files, "static/vendor/VERSIONS lists no file"
    for path, _source, sha256 in files:
        digest = hashlib.sha256((ROOT / "static/vendor" / path).read_bytes()).hexdigest()
        assert digest == sha256, f"static/vendor/{path} differs from VERSIONS: run scripts/update-bootstrap.sh"
    recorded = sorted(path for path, _source, _sha256 in files)
    on_disk = sorted(str(p.relative_to(ROOT / "static/vendor")) for p in (ROOT / "static/vendor/bootstrap").iterdir())
    assert on_disk == [path for path in recorded if path.startswith("bootstrap/")]


def test_vendored_bootstrap_version_is_the_one_in_its_headers():
    packages, _files = vendored()
    (version,) = [package[1] for package in packages if package[0] == "bootstrap"]
    for name in ["bootstrap.min.css", "bootstrap.bundle.min.js"]:
        head = (ROOT / "static/vendor/bootstrap" / name).read_text()[:300]
        assert f"v{version} " in head, f"{name}'s header does not name Bootstrap v{version}"
