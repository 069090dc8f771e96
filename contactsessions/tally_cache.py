"""Each ward's week tallies, kept in the cache under the ward's scope token.

The London view decides the Standard wards' weeks from :class:`rules.WeekTally` (how many
sessions that count were approved, planned, held, left unrecorded). A tally is a sum over
the ward's own sessions and their outcomes, and nothing else: not the clock (a week's phase
and so its state are applied afterwards, from today and ``OUTCOME_GRACE_DAYS``), not its
exemptions (applied afterwards from the ward's requirement, which is read every time), not
whether the ward is Enhanced (those are checked in detail). Every write to a session or an
outcome bumps its ward's scope token (:mod:`contactsessions.invalidation`; ``update()``s
bump the token of everything), so a tally stored beside the token it was computed under is
right for as long as that token holds, whichever week it counts, past or ahead.

Tallies are kept in blocks of :data:`BLOCK_WEEKS` weeks on a fixed calendar (so the ranges
monitoring staff ask for, which slide a week at a time, share them), one cache entry per
borough and block holding each of its wards' tallies with the ward's token. A view reads
the tokens and the entries in one ``get_many`` and asks the database
(:func:`week_selectors.week_tallies`) only for the wards whose tallies are missing or were
computed under an older token: after a write in one ward, that ward alone.

The tokens are read before the database, so a tally is never stored under a token newer
than the data it counts: a write committing meanwhile bumps the token again, and the
stored tally is not used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import QuerySet

from contactsessions import rules, week_selectors
from contactsessions.lib.scopes import GENERATION_KEY, kept_for, read_tokens, token_key, ward_scope
from wards.models import Ward

BLOCK_WEEKS = 13  # a quarter: a 52-week range touches five blocks, the default 13-week one two
EPOCH = dt.date(2000, 1, 3)  # a Monday: block n starts n * BLOCK_WEEKS weeks after it
TIMEOUT = 24 * 3600  # seconds; the tokens, not the expiry, keep the tallies right
KEY_PREFIX = "compliance:tallies:v1:"

# A ward's tallies of one block, one a week; None for a week not counted yet (the block
# reaches outside the ranges asked for so far).
Block = tuple[rules.WeekTally | None, ...]


def block_of(week: dt.date) -> int:
    return (week - EPOCH).days // (7 * BLOCK_WEEKS)


def entry_key(borough_id: int, block: int) -> str:
    return f"{KEY_PREFIX}{borough_id}:{block}"


def week_tallies(
    wards: Sequence[Ward], week_starts: Sequence[dt.date], *, ward_ids: QuerySet | None = None
) -> dict[int, list[rules.WeekTally]]:
    """Each ward's tally of each of ``week_starts``, in that order.

    The same figures as :func:`week_selectors.week_tallies` (:data:`rules.NO_SESSIONS` for a
    week without a session that counts), from the cache for every ward whose token still
    holds. ``ward_ids``, a subquery selecting the same wards, is used when every ward has
    to be counted (an empty cache), rather than binding hundreds of ids.
    """
    week_starts = sorted(week_starts)
    if week_starts != rules.weeks(week_starts[0], len(week_starts)):  # no view asks for such weeks
        return _count(list(wards), week_starts, ward_ids)
    first = (week_starts[0] - EPOCH).days // 7  # weeks since EPOCH
    blocks = list(range(block_of(week_starts[0]), block_of(week_starts[-1]) + 1))
    offset = first - blocks[0] * BLOCK_WEEKS  # where week_starts begin in a ward's blocks joined
    span = slice(offset, offset + len(week_starts))

    ward_keys = {ward.pk: token_key(ward_scope(ward.pk)) for ward in wards}
    keys = {(b, block): entry_key(b, block) for b in {ward.borough_id for ward in wards} for block in blocks}
    found = cache.get_many([GENERATION_KEY, *ward_keys.values(), *keys.values()])
    tokens = read_tokens([GENERATION_KEY, *ward_keys.values()], found)  # creates the missing ones
    generation = tokens[GENERATION_KEY]
    borough_keys = {b: [keys[b, block] for block in blocks] for b, _ in keys}
    entries = {}
    for key in keys.values():
        entry = found.get(key)
        entries[key] = entry["wards"] if entry is not None and entry["generation"] == generation else {}

    result: dict[int, list[rules.WeekTally]] = {}
    stale: list[Ward] = []
    for ward in wards:
        pk = ward.pk
        token = tokens[ward_keys[pk]]
        joined: Block = ()
        for key in borough_keys[ward.borough_id]:
            item = entries[key].get(pk)
            if item is None or item[0] != token or token is None:
                break
            joined += item[1]
        else:
            tallies = joined[span]
            if None not in tallies:
                result[pk] = list(tallies)  # type: ignore[arg-type]
                continue
        stale.append(ward)

    if stale:
        counted = _count(stale, week_starts, ward_ids if len(stale) == len(wards) else None)
        result.update(counted)
        if generation is not None:  # else the cache cannot be reached: keep nothing
            _store(stale, counted, blocks, offset, keys, entries, tokens, ward_keys, generation)
    return result


def _count(wards: list[Ward], week_starts: list[dt.date], ward_ids: QuerySet | None) -> dict[int, list]:
    """The wards' tallies of ``week_starts`` from the database, in one query."""
    rows = week_selectors.week_tally_rows(ward_ids if ward_ids is not None else [w.pk for w in wards], week_starts)
    # One instance of each distinct tally (a few dozen in a London year): no object per row,
    # and a stored block pickles each once (pickle's memo).
    shared: dict[tuple, rules.WeekTally] = {rules.NO_SESSIONS: rules.NO_SESSIONS}
    result = {ward.pk: [rules.NO_SESSIONS] * len(week_starts) for ward in wards}
    for row in rows:  # (ward_id, week, *counts), 30,000 of them for all London over a year
        tallies = result.get(row[0])
        if tallies is not None:
            counts = row[2:]
            tally = shared.get(counts)
            if tally is None:
                tally = shared[counts] = rules.WeekTally(*counts)
            tallies[row[1]] = tally
    return result


def _store(
    wards: list[Ward],
    counted: dict[int, list[rules.WeekTally]],
    blocks: list[int],
    offset: int,
    keys: dict[tuple[int, int], str],
    entries: dict[str, dict],
    tokens: dict[str, str | None],
    ward_keys: dict[int, str],
    generation: str,
) -> None:
    """Put the wards just counted into their boroughs' entries (the other wards' stay as they
    were read); weeks of a block outside the range counted keep what the ward's entry held
    under the same token, or stay unknown."""
    changed: dict[str, dict] = {}
    for ward in wards:
        token = tokens[ward_keys[ward.pk]]
        if token is None:
            continue
        padded = [None] * offset + counted[ward.pk]
        padded += [None] * (len(blocks) * BLOCK_WEEKS - len(padded))
        for i, block in enumerate(blocks):
            key = keys[ward.borough_id, block]
            new = padded[i * BLOCK_WEEKS : (i + 1) * BLOCK_WEEKS]
            old = entries[key].get(ward.pk)
            if old is not None and old[0] == token and None in new:
                new = [n if n is not None else o for n, o in zip(new, old[1], strict=True)]
            if key not in changed:
                changed[key] = dict(entries[key])
            changed[key][ward.pk] = (token, tuple(new))
    stored = {key: {"generation": generation, "wards": value} for key, value in changed.items()}
    cache.set_many(stored, kept_for(TIMEOUT))
