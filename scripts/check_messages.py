"""`make lint`: every translation is complete, compiles, and its committed .mo is current.

For each language of settings.LANGUAGES but English (locale/<code>/LC_MESSAGES/django.po):

1. the .po compiles with ``msgfmt --check`` (format strings match, headers sound);
2. every message is translated and none is fuzzy (``msgfmt --statistics``);
3. the committed .mo holds exactly what the .po compiles to (a fresh machine may lack
   gettext, so the .mo files are committed: they must not lag the .po);
4. the .po holds every string the code marks for translation: ``makemessages`` is run on a
   copy of the sources and each of its msgids must be in the .po.

Fix with ``make messages`` (scripts/messages.sh), then translate what is new. Needs gettext
(``apt-get install gettext``); .ci/run installs it.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("contactsessions", "wards", "venues", "templates", "manage.py", "locale")
MSGFMT = shutil.which("msgfmt") or "msgfmt"
MSGCAT = shutil.which("msgcat") or "msgcat"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "vendor", "*.mo")


def languages() -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactsessions.settings")
    import django
    from django.conf import settings

    django.setup()
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalog(mo: Path) -> dict:
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return dict(translations._catalog)  # type: ignore[attr-defined]


def msgids(po: Path) -> set[str]:
    """The msgids of a .po or .pot file, read with msgcat's help (one line per string)."""
    flat = subprocess.run(  # noqa: S603 (our own files, gettext's tool)
        [MSGCAT, "--no-wrap", "--no-location", str(po)], capture_output=True, text=True, check=True
    ).stdout
    ids = set()
    for line in flat.splitlines():
        match = re.match(r'^msgid(?:_plural)? "(.*)"$', line)
        if match and match.group(1):
            ids.add(match.group(1))
    return ids


def check_language(code: str, marked: set[str] | None) -> list[str]:
    po = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not po.exists():
        return [f"{code}: {po.relative_to(ROOT)} is missing: run `make messages` and translate it."]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        result = subprocess.run(  # noqa: S603 (our own files, gettext's tool)
            [MSGFMT, "--check", "--statistics", "-o", str(fresh), str(po)], capture_output=True, text=True
        )
        if result.returncode != 0:
            return [f"{code}: {po.relative_to(ROOT)} does not compile:\n{result.stderr.strip()}"]
        statistics = result.stderr.strip()
        if "fuzzy" in statistics or "untranslated" in statistics:
            problems.append(f"{code}: not every message is translated ({statistics}); translate, then `make messages`.")
        if not mo.exists() or catalog(mo) != catalog(fresh):
            problems.append(f"{code}: {mo.relative_to(ROOT)} is not what the .po compiles to: run `make messages`.")
    if marked is not None:
        missing = sorted(marked - msgids(po))
        if missing:
            shown = "\n  ".join(missing[:10])
            problems.append(
                f"{code}: {len(missing)} marked string(s) are not in the .po: run `make messages` and translate them."
                f"\n  {shown}"
            )
    return problems


def marked_strings(code: str) -> set[str]:
    """What ``makemessages`` finds in the sources today, run on a copy so nothing here changes."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for name in SOURCES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=IGNORED)
            elif source.exists():
                shutil.copy2(source, copy / name)
        subprocess.run(  # noqa: S603 (this interpreter, our manage.py)
            [sys.executable, "manage.py", "makemessages", "--locale", code, "--keep-pot", "--no-location"],
            cwd=copy,
            check=True,
            capture_output=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "contactsessions.settings", "PYTHONPATH": str(copy)},
        )
        return msgids(copy / "locale" / "django.pot")


def main() -> int:
    if shutil.which("msgfmt") is None or shutil.which("msgcat") is None:
        print("gettext is not installed (msgfmt not found): apt-get install gettext", file=sys.stderr)
        return 1
    codes = languages()
    marked = marked_strings(codes[0]) if codes else set()
    problems = [problem for code in codes for problem in check_language(code, marked)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"translations complete and compiled: {', '.join(codes)} ({len(marked)} messages)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
