"""CSV downloads: the one place cells are made safe to open in a spreadsheet.

Every CSV the app writes (the open-data ``/api/sessions.csv``, each monitoring
``?export=`` and ``manage.py compliance_report --csv``) goes through :func:`csv_cell`,
so a venue named ``=HYPERLINK(...)`` is text, never a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from django.http import HttpResponse

# A cell starting with any of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """``value`` as text that a spreadsheet will not run: a leading formula character is
    preceded by an apostrophe, which spreadsheets hide and read as "this is text"."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(stream, header: list[str], rows: Iterable[Iterable]) -> None:
    """Write ``header`` and ``rows`` to ``stream`` (a file, a response, a command's stdout)
    with every cell passed through :func:`csv_cell`."""
    writer = csv.writer(stream)
    writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download named ``filename``.csv, written by :func:`write_csv`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    write_csv(response, header, rows)
    return response


class Column(NamedTuple):
    """One column of an export: its header and how to read its cell from a row's object.

    Pages declare their exports as lists of columns beside the view that offers them::

        EXEMPTION_COLUMNS = [Column("ward_code", lambda e: e.ward.code), ...]
    """

    header: str
    value: Callable[[Any], object]


def export_response(filename: str, columns: Sequence[Column], items: Iterable[Any]) -> HttpResponse:
    """A CSV download of ``items``, one row each, in the given ``columns``."""
    return csv_response(filename, [c.header for c in columns], ([c.value(item) for c in columns] for item in items))
