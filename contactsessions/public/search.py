"""Forgiving place search: residents find their ward as they say it.

Ward names, borough names and the places residents use (the Enhanced communities,
well-known areas such as King's Cross) are folded once per process into an index of
word runs ("st pancras and somers town" is also found as "somers town" and "pancras").
A query is folded the same way, so case, accents, apostrophes, punctuation,
"St"/"St."/"Saint" and "&"/"and" do not matter, and rapidfuzz forgives small typos:
one or two letters wrong, swapped or missing (OSA distance, by the query's length).

The index is rebuilt when the names change: a write to a ward, borough or Enhanced
designation bumps the ``PLACES`` scope (``contactsessions.invalidation``); a session written
does not, so London's busy writing hours never rebuild it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from contactsessions.lib.scopes import places_generation
from contactsessions.models import EnhancedDesignation
from wards.models import Borough, Ward

MAX_QUERY = 100  # characters we read of a query; longer text is not a place name
MAX_WORDS_IN_RUN = 6

# Areas residents name that are not (only) a ward or borough name: the wards that make them
# up, in every ward set (2014 codes first, then those that hold most of each since 2018/2022;
# only the current set's are found). Enhanced communities come from their designations' served wards.
WELL_KNOWN_PLACES: dict[str, tuple[str, ...]] = {
    "King's Cross": ("E05000141", "E05000143", "E05000368", "E05013666", "E05013669", "E05013700"),
    "St Pancras": ("E05000143", "E05013669"),
    "Somers Town": ("E05000143", "E05013669"),
    "Covent Garden": ("E05000138", "E05000644", "E05013662", "E05013806"),
    "Soho": ("E05000649", "E05013808"),
    "Notting Hill": ("E05009398", "E05009399", "E05009400"),
    "Shoreditch": ("E05009377",),
    "Wembley": ("E05000104", "E05000102", "E05013514", "E05013515", "E05013512"),
    "Elephant and Castle": ("E05000544", "E05000536", "E05011105", "E05011095"),
    "Heathrow": ("E05000331", "E05013570"),
    "Barnet": ("E05000056", "E05000060", "E05000048", "E05013644", "E05013628", "E05013647", "E05013635"),
    "Coulsdon": ("E05000150", "E05000151", "E05011474", "E05011466"),
    "Enfield Chase": ("E05000195", "E05013695"),
    "Stanmore": ("E05000303", "E05000286", "E05013560", "E05013543"),
    "Ruislip": ("E05000343", "E05000338", "E05000329", "E05013577", "E05013579", "E05013567"),
}


def fold(text: str) -> str:
    """Fold a name or a query: "St. Mary's & Saint-Élise" -> "st marys and st elise"."""
    text = unicodedata.normalize("NFKD", text[:MAX_QUERY])
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’‘`´]", "", text)  # King's and Kings are one name
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join("st" if word == "saint" else word for word in text.split())


def _runs(folded: str) -> Iterable[str]:
    """Every run of consecutive words: what a resident might type of a longer name."""
    words = folded.split()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + MAX_WORDS_IN_RUN) + 1):
            yield " ".join(words[i:j])


def allowed_typos(folded: str) -> int:
    """How many letters may be wrong: none in short words, where one letter makes another name."""
    letters = len(folded.replace(" ", ""))
    if letters <= 3:
        return 0
    if letters <= 7:
        return 1
    return 2


@dataclass(frozen=True)
class Target:
    """Something a key leads to: a ward, a borough, or a place made of wards."""

    kind: str  # "ward", "borough" or "place"
    name: str
    ward_ids: tuple[int, ...] = ()
    borough_id: int | None = None


@dataclass
class Index:
    generation: str
    keys: list[str] = field(default_factory=list)  # folded word runs, parallel to ``targets``
    targets: list[list[Target]] = field(default_factory=list)
    full_names: dict[str, list[Target]] = field(default_factory=dict)  # folded full name -> targets

    def add(self, name: str, target: Target) -> None:
        folded = fold(name)
        if not folded:
            return
        self.full_names.setdefault(folded, []).append(target)
        for run in dict.fromkeys(_runs(folded)):
            self._key(run).append(target)

    def _key(self, key: str) -> list[Target]:
        position = self._positions.get(key)
        if position is None:
            position = self._positions[key] = len(self.keys)
            self.keys.append(key)
            self.targets.append([])
        return self.targets[position]

    def __post_init__(self) -> None:
        self._positions: dict[str, int] = {}


def build_index(generation: str) -> Index:
    """Read every current ward, borough and place once (three queries)."""
    index = Index(generation=generation)
    wards = {w.pk: w for w in Ward.objects.current().only("pk", "code", "name")}
    by_code = {w.code: w.pk for w in wards.values()}
    for ward in wards.values():
        index.add(ward.name, Target("ward", ward.name, ward_ids=(ward.pk,)))
    for borough in Borough.objects.only("pk", "name"):
        index.add(borough.name, Target("borough", borough.name, borough_id=borough.pk))
    places: dict[str, set[int]] = {}
    for name, codes in WELL_KNOWN_PLACES.items():
        places.setdefault(name, set()).update(by_code[c] for c in codes if c in by_code)
    for designation in EnhancedDesignation.objects.filter(ward__is_current=True).prefetch_related("served_wards"):
        served = {w.pk for w in designation.served_wards.all() if w.pk in wards} | {designation.ward_id}
        # "Enfield Chase, Cockfosters and Southgate": the whole name and each community in it.
        for name in [designation.community, *re.split(r",\s*|\s+and\s+", designation.community)]:
            places.setdefault(name.strip(), set()).update(served)
    for name, ward_ids in places.items():
        if ward_ids and name:
            index.add(name, Target("place", name, ward_ids=tuple(sorted(ward_ids))))
    return index


_lock = threading.Lock()
_index: Index | None = None


def get_index() -> Index:
    """The index for the current data: built once per process, again after any change."""
    global _index
    generation = places_generation()
    index = _index
    if index is None or index.generation != generation:
        with _lock:
            if _index is None or _index.generation != generation:
                _index = build_index(generation)
            index = _index
    return index


@dataclass
class Matches:
    """What a name query matched."""

    targets: list[Target] = field(default_factory=list)
    exact: bool = True  # False: matched only by forgiving typos
    suggestions: list[Target] = field(default_factory=list)  # "Did you mean …?" when unsure


def match(query: str, index: Index | None = None) -> Matches:
    """Targets whose name contains the query's words, or failing that names a letter or two away.

    - The query is (part of) a name: every such target, full names first.
    - Otherwise names within ``allowed_typos``: when the closest ones all lead to one name
      (possibly shared, like the two Regent's Parks) they are the answer; when several
      different names are equally close, they are offered as "Did you mean …?".
    """
    folded = fold(query)
    if not folded:
        return Matches()
    index = index or get_index()
    found = _dedupe(index.full_names.get(folded, []) + [t for ts in _containing(index, folded) for t in ts])
    if found:
        return Matches(targets=found)
    limit = allowed_typos(folded)
    if limit == 0:
        return Matches(exact=False)
    hits = process.extract(folded, index.keys, scorer=OSA.distance, score_cutoff=limit, limit=50, processor=None)
    if not hits:
        return Matches(exact=False)
    best = min(distance for _key, distance, _pos in hits)
    closest = [(key, pos) for key, distance, pos in hits if distance == best]
    names = {key for key, _pos in closest}
    targets = _dedupe([t for _key, pos in closest for t in index.targets[pos]])
    others = _dedupe(
        [t for _key, distance, pos in sorted(hits, key=lambda h: h[1]) if distance > best for t in index.targets[pos]]
    )
    if len(names) == 1:
        return Matches(targets=targets, exact=False, suggestions=[t for t in others if t not in targets][:5])
    return Matches(exact=False, suggestions=targets[:8])


def _containing(index: Index, folded: str) -> Iterable[list[Target]]:
    """Targets whose name holds the query from the start of a word ("pancr", "somers town")."""
    pattern = re.compile(rf"(?:^| ){re.escape(folded)}")
    for name, targets in index.full_names.items():
        if pattern.search(name):
            yield targets


def _dedupe(targets: Iterable[Target]) -> list[Target]:
    seen: dict[Target, None] = {}
    for target in targets:
        seen.setdefault(target, None)
    return list(seen)
