"""The language machinery of ``lib.locale`` that the URL does not decide (that is
``tests/contactsessions/public/test_languages.py``)."""

from __future__ import annotations


def test_empty_catalogues_leave_the_gettext_chains_and_no_translation_changes():
    import gettext

    from django.utils import translation
    from django.utils.translation import trans_real

    from contactsessions.lib.locale import drop_empty_fallbacks

    with translation.override("pl"):
        before = (translation.gettext("Turkish"), translation.gettext("Not a message at all"))
    for language in ("en-gb", "pl"):
        drop_empty_fallbacks(language)
        link = trans_real.translation(language)._fallback
        while link is not None:
            assert type(link) is not gettext.GNUTranslations or any(key != "" for key in link._catalog)
            link = link._fallback
    with translation.override("pl"):
        assert (
            (translation.gettext("Turkish"), translation.gettext("Not a message at all"))
            == before
            == (
                "turecki",
                "Not a message at all",
            )
        )
