import pytest

from wards.postcodes import normalise_postcode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("  SW1A   1AA ", "SW1A 1AA"),
        ("en4 8hg.", "EN4 8HG"),
        ("W1A 1AA", "W1A 1AA"),
        ("E1 6AN", "E1 6AN"),
        ("not a postcode", None),
        ("", None),
        ("SW1A 1A", None),
        ("<script>", None),
    ],
)
def test_postcodes_are_validated_and_normalised(raw, expected):
    assert normalise_postcode(raw) == expected
