"""Load OS Code-Point Open postcodes (fixtures/london_postcodes.csv.gz) for one ward set.

The file has one row per postcode per ward set (2014, 2018, 2022). We keep one
row per live postcode: its row in the ward set in use, or, for a postcode created
after that set's release, the ward of the nearest postcode that has one
(``approximate=True``). The nearest search uses a grid of buckets, so filling the
~14,000 newer postcodes of the 2014 set takes well under a second, not O(n^2).

Writes go straight to the table with COPY on PostgreSQL and one ``executemany``
elsewhere (SQLite), inside one transaction: readers see the old table or the new one.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction

from wards.models import Postcode
from wards.postcodes import CITY_OF_LONDON_CODE

# Points are compared in a local flat projection: x = longitude * cos(51.5°), y = latitude.
# At London's scale the error against great-circle distance is far below a postcode's spread.
COS_LAT = math.cos(math.radians(51.5))
CELL = 0.001  # degrees of latitude, about 110 m
COLUMNS = "postcode, ward_code, borough_code, latitude, longitude, approximate"
MAX_RINGS = 120  # about 13 km: a new postcode further than that from any known one is skipped


class Row(NamedTuple):
    # Coordinates stay as the file's text (6 decimal places) so COPY writes them back unchanged.
    postcode: str
    ward_code: str
    borough_code: str
    latitude: str
    longitude: str
    approximate: bool = False


@dataclass(frozen=True)
class LoadResult:
    total: int
    approximate: int
    city_of_london: int = 0


def read_city_postcodes(path: Path) -> list[Row]:
    """The City of London's postcodes (fixtures/city_of_london_postcodes.csv), with its district code.

    They are not anybody's Met ward: they let a position or postcode inside the City be
    answered as the City's instead of as the nearest Met ward across the boundary.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"postcode", "city_ward_code", "latitude", "longitude"} <= set(
            reader.fieldnames
        ):
            raise ValueError(f"{path}: unexpected columns {reader.fieldnames}")
        return [
            Row(r["postcode"], sys.intern(r["city_ward_code"]), CITY_OF_LONDON_CODE, r["latitude"], r["longitude"])
            for r in reader
        ]


def read_postcodes(path: Path, ward_set: str, *, outward_codes: Iterable[str] | None = None) -> list[Row]:
    """One Row per live postcode for ``ward_set``; newer postcodes placed by their nearest neighbour.

    ``outward_codes`` keeps only postcodes in those districts ("EN4", "NW1"...): tests use
    it to load a small, realistic subset quickly.
    """
    wanted = {code.upper() + " " for code in outward_codes} if outward_codes is not None else None
    known: list[Row] = []
    pending: list[tuple[str, str, str]] = []  # postcode and latest point, no ward yet
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header[:7] != ["postcode", "ward_code", "ward_set", "borough_code", "latitude", "longitude", "terminated"]:
            raise ValueError(f"{path}: unexpected columns {header}")
        current = None  # the postcode whose rows we are reading (rows are sorted by postcode)
        found = False
        latest: tuple[str, str, str] | None = None
        for postcode, ward_code, row_set, borough_code, lat, lng, terminated in reader:
            if wanted is not None and postcode[: postcode.index(" ") + 1] not in wanted:
                continue
            if terminated != "no":
                continue
            if postcode != current:
                if current is not None and not found and latest is not None:
                    pending.append(latest)
                current, found, latest = postcode, False, None
            if row_set == ward_set:
                # 629 wards and 32 boroughs: share one string each instead of 180,000 copies.
                known.append(Row(postcode, sys.intern(ward_code), sys.intern(borough_code), lat, lng))
                found = True
            else:
                latest = (postcode, lat, lng)
        if current is not None and not found and latest is not None:
            pending.append(latest)
    return known + place_by_nearest(known, pending)


def place_by_nearest(known: list[Row], pending: list[tuple[str, str, str]]) -> list[Row]:
    """Give each pending postcode the ward and borough of the nearest known postcode."""
    if not known or not pending:
        return []
    grid: dict[tuple[int, int], list[tuple[float, float, Row]]] = {}
    for row in known:
        x, y = float(row.longitude) * COS_LAT, float(row.latitude)
        grid.setdefault((math.floor(x / CELL), math.floor(y / CELL)), []).append((x, y, row))
    placed = []
    for postcode, lat, lng in pending:
        nearest = _nearest_in_grid(grid, float(lng) * COS_LAT, float(lat))
        if nearest is not None:
            placed.append(Row(postcode, nearest.ward_code, nearest.borough_code, lat, lng, approximate=True))
    return placed


def _nearest_in_grid(grid: dict[tuple[int, int], list[tuple[float, float, Row]]], x: float, y: float) -> Row | None:
    """Search square rings of cells outwards until no unsearched cell can hold a nearer point."""
    cx, cy = math.floor(x / CELL), math.floor(y / CELL)
    # Distance from the point to the edges of its own cell.
    margin = min(x - cx * CELL, (cx + 1) * CELL - x, y - cy * CELL, (cy + 1) * CELL - y)
    best: Row | None = None
    best_d2 = math.inf
    for ring in range(MAX_RINGS + 1):
        for cell in _ring_cells(cx, cy, ring):
            for px, py, row in grid.get(cell, ()):
                d2 = (px - x) ** 2 + (py - y) ** 2
                if d2 < best_d2:
                    best, best_d2 = row, d2
        # Every cell outside the searched square is at least this far away.
        if best is not None and best_d2 <= (margin + ring * CELL) ** 2:
            break
    return best


def _ring_cells(cx: int, cy: int, ring: int) -> Iterable[tuple[int, int]]:
    if ring == 0:
        yield (cx, cy)
        return
    for dx in range(-ring, ring + 1):
        yield (cx + dx, cy - ring)
        yield (cx + dx, cy + ring)
    for dy in range(-ring + 1, ring):
        yield (cx - ring, cy + dy)
        yield (cx + ring, cy + dy)


def write_postcodes(rows: list[Row]) -> None:
    """Replace the whole Postcode table with ``rows`` in one transaction."""
    table = Postcode._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The table name is our own model's db_table, never input.
                cursor.execute(f"TRUNCATE {table}")  # noqa: S608
                cursor.copy_expert(f"COPY {table} ({COLUMNS}) FROM STDIN", _CopyStream(rows))
        else:
            # Plain executemany: bulk_create measured 20 s of CPU here, building 180,000 model instances.
            Postcode.objects.all().delete()
            with connection.cursor() as cursor:
                # django-stubs asks for a Sequence, but Django's executemany takes any iterable (a
                # generator spares a list of 180,000 tuples).
                cursor.executemany(
                    f"INSERT INTO {table} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608  # nosec B608
                    (  # type: ignore[arg-type]
                        (r.postcode, r.ward_code, r.borough_code, float(r.latitude), float(r.longitude), r.approximate)
                        for r in rows
                    ),
                )


class _CopyStream(io.RawIOBase):
    """COPY text format, produced as PostgreSQL reads it: no 10 MB buffer in memory."""

    def __init__(self, rows: list[Row]):
        self._lines = (
            f"{r.postcode}\t{r.ward_code}\t{r.borough_code}\t{r.latitude}\t{r.longitude}\t"
            f"{'t' if r.approximate else 'f'}\n".encode()
            for r in rows
        )
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunks = [self._pending]
        length = len(self._pending)
        for line in self._lines:
            chunks.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        data = b"".join(chunks)
        if size < 0:
            self._pending = b""
            return data
        self._pending = data[size:]
        return data[:size]


def load_postcodes(
    path: Path, ward_set: str, *, outward_codes: Iterable[str] | None = None, city_path: Path | None = None
) -> LoadResult:
    rows = read_postcodes(path, ward_set, outward_codes=outward_codes)
    city = read_city_postcodes(city_path) if city_path is not None else []
    write_postcodes(rows + city)
    approximate = sum(1 for r in rows if r.approximate)
    return LoadResult(total=len(rows), approximate=approximate, city_of_london=len(city))
