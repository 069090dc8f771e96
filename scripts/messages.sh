#!/usr/bin/env bash
# Gather the strings marked for translation into locale/<language>/LC_MESSAGES/django.po,
# for every language of settings.LANGUAGES but English, and compile the .mo files.
#
#   scripts/messages.sh            # makemessages + compilemessages (make messages)
#
# New strings arrive untranslated (msgstr ""), changed ones fuzzy: translate them, then run
# this again so the .mo files follow; `make lint` (scripts/check_messages.py) fails until
# every language is complete. The tests, the benchmark and the virtualenv are not scanned.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
command -v msgfmt >/dev/null || { echo "gettext not found. Install it: sudo apt-get install -y gettext" >&2; exit 1; }
languages="$($py -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactsessions.settings"); django.setup(); from django.conf import settings; print(" ".join(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE))')"
args=()
for language in $languages; do args+=(--locale "$language"); done
$py manage.py makemessages "${args[@]}" --no-obsolete --add-location file \
  --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*' --ignore '.pg/*' \
  --ignore 'node_modules/*' --ignore 'docs/*' --ignore 'scripts/*'
$py manage.py compilemessages --ignore '.venv/*'
