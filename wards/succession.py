"""Where each ward's area went when London's wards were redrawn, from the postcode lookup.

``fixtures/london_postcodes.csv.gz`` gives every live postcode its ward in each ward set
(2014, 2018, 2022). A postcode that has a row in both sets says which new ward holds that
piece of the old ward, so counting them per (old ward, new ward) says where each old ward
went and how much of it: the successor holding most of its postcodes is the one an old
link leads to. Pure data: no database.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ["postcode", "ward_code", "ward_set", "borough_code", "latitude", "longitude", "terminated"]


@dataclass
class Lookup:
    """Counts of postcodes per (old ward, new ward), and the new ward of the postcodes asked for."""

    moves: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    new_ward_of: dict[str, str] = field(default_factory=dict)


def read_lookup(path: Path, *, from_set: str, to_set: str, postcodes: set[str]) -> Lookup:
    """Read the postcode file once: how ``from_set``'s wards split into ``to_set``'s, and the
    ``to_set`` ward of each postcode in ``postcodes`` (normalised, "EN4 8HG")."""
    lookup = Lookup()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header[: len(COLUMNS)] != COLUMNS:
            raise ValueError(f"{path}: unexpected columns {header}")
        current, old, new = "", "", ""
        for postcode, ward_code, row_set, _borough, _lat, _lng, terminated in reader:
            if terminated != "no":
                continue
            if postcode != current:
                if old and new:
                    lookup.moves[old][new] += 1
                current, old, new = postcode, "", ""
            if row_set == from_set:
                old = ward_code
            if row_set == to_set:
                new = ward_code
                if postcode in postcodes:
                    lookup.new_ward_of[postcode] = ward_code
        if old and new:
            lookup.moves[old][new] += 1
    return lookup
