"""Forgiving search: names as residents type them find the right wards (real 2014 wards)."""

from __future__ import annotations

import csv
import time

import pytest
from django.conf import settings
from django.urls import reverse

from contactsessions.public import search
from contactsessions.public.selectors import search_places
from wards.models import Borough, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def london(db):
    """Every borough and 2014 ward, as load_reference_data leaves them (bulk, for speed)."""
    with (settings.REFERENCE_DATA_DIR / "london_wards_2014.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    boroughs = {}
    for row in rows:
        if row["borough_code"] not in boroughs:
            boroughs[row["borough_code"]] = Borough(
                code=row["borough_code"], name=row["borough_name"], slug=row["borough_code"].lower()
            )
    Borough.objects.bulk_create(boroughs.values())
    boroughs = {b.code: b for b in Borough.objects.all()}
    Ward.objects.bulk_create(
        Ward(
            code=r["ward_code"],
            name=r["ward_name"],
            search_name=r["ward_name"].lower(),
            borough=boroughs[r["borough_code"]],
            ward_set="2014",
            latitude=r["latitude"],
            longitude=r["longitude"],
        )
        for r in rows
    )
    return boroughs


def found_codes(query: str) -> set[str]:
    result = search_places(query)
    return {w.code for w in result.wards + result.suggested_wards}


# (as typed, wards that must be among the answers)
TYPED = [
    # apostrophes dropped or curly
    ("Kings Cross", {"E05000141"}),
    ("kings x", set()),  # too short to guess: no crash, may find nothing
    ("King’s Cross", {"E05000141"}),
    ("Regents Park", {"E05000142", "E05000643"}),  # shared name: both
    ("Earls Court", {"E05009395"}),
    ("Shepherds Bush Green", {"E05000263"}),
    ("shepherds bush", {"E05000263"}),
    ("St Marys", {"E05000081", "E05000379"}),
    ("saint peters", {"E05000380"}),
    ("St. Ann's", {"E05000277"}),
    ("St Leonards", {"E05000428"}),
    ("St Helier", {"E05000470", "E05000562"}),  # Merton and Sutton
    # St / Saint, & / and, case, punctuation, accents
    ("Saint Pancras & Somers Town", {"E05000143"}),
    ("ST PANCRAS AND SOMERS-TOWN", {"E05000143"}),
    ("hoxton east and shoreditch", {"E05009377"}),
    ("Hoxton East & Shoreditch", {"E05009377"}),
    ("St Margaret's & North Twickenham", {"E05000527"}),
    ("Chelsfield & Pratts Bottom", {"E05000110"}),
    ("  frognal   and fitzjohns ", {"E05000133"}),
    ("Crystal Palacé", {"E05000116"}),
    ("CRYSTAL PALACE!!", {"E05000116"}),
    # part of a name
    ("somers town", {"E05000143"}),
    ("pancras", {"E05000143"}),
    ("Camden Town", {"E05000130"}),
    # one or two letters wrong, swapped or missing
    ("Somers Twon", {"E05000143"}),
    ("Shriley", {"E05000163"}),
    ("Shirly", {"E05000163"}),
    ("Haggerstone", {"E05009375"}),
    ("Hagerston", {"E05009375"}),
    ("Gospel Oaks", {"E05000134"}),
    ("Gospl Oak", {"E05000134"}),
    ("Brockly", {"E05000439"}),
    ("Peckam", {"E05000546"}),
    ("Stoke Newingtn", {"E05009385"}),
    ("Crouch Edn", {"E05000269"}),
    ("Cockfoster", {"E05000196"}),
    ("Cockfosters", {"E05000196"}),
    ("Kentsh Town", {"E05000139"}),
    ("Swiss Cotage", {"E05000144"}),
    ("Queensbury", {"E05000099"}),
    ("Belsise", {"E05000128"}),
    # areas and the Enhanced communities
    ("Coulsdon", {"E05000150", "E05000151"}),
    ("Coulsdon East", {"E05000150"}),
    ("Stanmore", {"E05000303"}),
    ("Harefield", {"E05000330"}),
    ("Ickenham", {"E05000333"}),
    ("Northwood", {"E05000335"}),
    ("West Ruislip", {"E05000343"}),
    ("Southgate", {"E05000208"}),
    ("Enfield Chase", {"E05000195"}),
    ("Barnet Town Centre", set()),  # needs the designation; see the Enhanced test below
    ("Soho", {"E05000649"}),
    ("Covent Garden", {"E05000138"}),
    ("Notting Hill", {"E05009399"}),
    ("Wembley", {"E05000104"}),
    ("Elephant & Castle", {"E05000544"}),
    ("Heathrow", {"E05000331"}),
]


@pytest.mark.parametrize(("typed", "expected"), TYPED)
def test_names_as_residents_type_them_find_the_right_wards(london, typed, expected):
    assert expected <= found_codes(typed)


def test_the_table_is_long_enough():
    assert sum(1 for _typed, expected in TYPED if expected) >= 40


@pytest.mark.parametrize(
    ("typed", "borough"),
    [
        ("camdn", "Camden"),
        ("Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("kensington and chelsae", "Kensington and Chelsea"),
        ("HACKNEY", "Hackney"),
    ],
)
def test_boroughs_forgive_too(london, typed, borough):
    result = search_places(typed)
    assert borough in {b.name for b in result.boroughs + result.suggested_boroughs}


def test_a_typo_is_answered_and_the_page_says_these_are_the_closest_names(client, london):
    response = client.get(reverse("public:home"), {"q": "Somers Twon"})
    assert response.context["search"].corrected
    assert "closest names" in response.content.decode()
    assert reverse("public:ward", args=["E05000143"]) in response.content.decode()


def test_a_shared_name_a_letter_away_answers_every_ward_of_that_name(london):
    result = search_places("Abey")  # Abbey (Barking and Dagenham) and Abbey (Merton)
    assert {"E05000026", "E05000455"} <= {w.code for w in result.wards}


def test_when_different_names_are_equally_close_the_page_asks_did_you_mean(client, camden):
    barton = Ward.objects.create(code="E05900001", name="Barton", borough=camden, ward_set="2014")
    burton = Ward.objects.create(code="E05900002", name="Burton", borough=camden, ward_set="2014")
    response = client.get(reverse("public:home"), {"q": "Borton"})
    result = response.context["search"]
    assert result.wards == [] and set(result.suggested_wards) == {barton, burton}
    assert "Did you mean" in response.content.decode()


def test_a_district_lists_its_wards_and_asks_for_the_full_postcode(client, london, postcodes):
    response = client.get(reverse("public:home"), {"q": "nw1"})
    result = response.context["search"]
    assert result.district == "NW1"
    assert "E05000143" in {w.code for w in result.wards}
    assert "enter your full postcode" in response.content.decode()
    response = client.get(reverse("public:home"), {"q": "EN4"})
    assert "E05000048" in {w.code for w in response.context["search"].wards}


def test_a_district_we_do_not_hold_asks_for_the_full_postcode(client, london):
    body = client.get(reverse("public:home"), {"q": "SE25"}).content.decode()
    assert "Enter your full postcode" in body


@pytest.mark.parametrize("typed", ["City of London", "the city", "EC2"])
def test_the_city_of_london_by_name_says_who_polices_it(client, london, typed):
    body = client.get(reverse("public:home"), {"q": typed}).content.decode()
    assert "City of London Police" in body
    assert "cityoflondon.police.uk" in body


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "!!!",
        "'''",
        "😀",
        "🏳️‍🌈 Camden",
        "x" * 5000,
        "Robert'); DROP TABLE wards;--",
        "' OR 1=1 --",
        "%",
        "_",
        "\x00",
        "北京",
        "Ελλάδα",
        "ñ",
        "a",
        "St",
        "&",
        "NW1 1",
        "1AA",
    ],
)
def test_bad_input_is_answered_never_a_500(client, london, typed):
    response = client.get(reverse("public:home"), {"q": typed})
    assert response.status_code < 500


def test_the_index_is_rebuilt_when_a_ward_changes(london):
    assert not found_codes("Zanzibar Gardens")
    ward = Ward.objects.get(code="E05000128")
    ward.name = "Zanzibar Gardens"
    ward.save()
    assert found_codes("Zanzibar Gardens") == {"E05000128"}


def test_the_index_is_built_once_per_change(london, django_assert_max_num_queries):
    search_places("Belsize")
    with django_assert_max_num_queries(2):  # the wards and boroughs found, not the index
        search_places("Somers Twon")


def test_search_is_quick(london):
    search.get_index()
    started = time.perf_counter()
    for typed, _expected in TYPED:
        search.match(typed)
    assert (time.perf_counter() - started) / len(TYPED) < 0.2  # generous: a shared CI core; bench measures
