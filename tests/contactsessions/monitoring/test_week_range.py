"""The chosen week range: carried from page to page, and a wrong one said out loud."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

RANGE = {"start": "2025-09-01", "end": "2025-10-26"}
QUERY = "start=2025-09-01&amp;end=2025-10-26"


def test_index_redirect_keeps_a_valid_range_and_nothing_else(client, monitor):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:index"), {**RANGE, "export": "weeks", "sort": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('monitoring:london')}?start=2025-09-01&end=2025-10-26"


def test_index_redirect_drops_an_invalid_range(client, monitor, board_member, camden):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:index"), {"start": "2025-12-01", "end": "2025-01-01"})
    assert response["Location"] == reverse("monitoring:london")
    client.force_login(board_member)
    response = client.get(reverse("monitoring:index"), {"start": "2025-09-01"})
    assert response["Location"] == f"{reverse('monitoring:borough', args=[camden.code])}?start=2025-09-01"


def test_london_borough_and_ward_links_carry_the_range(client, monitor, camden, ward):
    client.force_login(monitor)
    london = client.get(reverse("monitoring:london"), RANGE).content.decode()
    assert f'href="{reverse("monitoring:borough", args=[camden.code])}?{QUERY}"' in london
    borough = client.get(reverse("monitoring:borough", args=[camden.code]), RANGE).content.decode()
    assert f'href="{reverse("monitoring:ward", args=[ward.code])}?{QUERY}"' in borough
    assert f'href="{reverse("monitoring:london")}?{QUERY}"' in borough
    assert f"?week=2025-09-01&amp;{QUERY}" in borough
    assert f"?borough={camden.code}&amp;{QUERY}" in borough
    ward_page = client.get(reverse("monitoring:ward", args=[ward.code]), RANGE).content.decode()
    assert f"?week=2025-10-20&amp;{QUERY}" in ward_page
    assert f"?ward={ward.code}&amp;{QUERY}" in ward_page


@pytest.mark.parametrize(
    "name",
    [
        "london",
        "ahead",
        "exemptions",
        "outcome-summary",
        "outcome-reminders",
        "abstraction-log",
        "roster",
        "enhanced-trial",
    ],
)
def test_every_nav_link_carries_the_range(client, monitor, name):
    client.force_login(monitor)
    url = reverse({"ahead": "monitoring:looking-ahead"}.get(name, f"monitoring:{name}"))
    page = client.get(url, RANGE).content.decode()
    nav = page[page.index('aria-label="Monitoring"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'href="([^"]+)"', nav)
    assert len(links) == 8  # every page of the monitoring nav
    assert all(link.endswith(f"?{QUERY}") for link in links), links


def test_default_range_adds_nothing_to_links(client, monitor):
    client.force_login(monitor)
    page = client.get(reverse("monitoring:london")).content.decode()
    assert f'href="{reverse("monitoring:looking-ahead")}"' in page
    assert "start=" not in page.split('aria-label="Monitoring"')[1].split("</nav>")[0]


def test_range_form_keeps_the_scope_of_a_borough_page(client, monitor, camden):
    client.force_login(monitor)
    page = client.get(reverse("monitoring:abstraction-log"), {"borough": camden.code, **RANGE}).content.decode()
    assert f'<input type="hidden" name="borough" value="{camden.code}">' in page


@pytest.mark.parametrize(
    "params,problem",
    [
        ({"start": "not-a-date"}, "“From” is not a date"),
        ({"end": "2025-13-40"}, "“To” is not a date"),
        ({"start": "2025-12-01", "end": "2025-01-01"}, "“To” (1 Jan 2025) is before “From” (1 Dec 2025)"),
        ({"start": "2000-01-03", "end": "2025-01-01"}, "to 1 Jan 2025 touches 1305 weeks: choose at most 104"),
        ({"start": "2000-01-03"}, "choose at most 104 weeks"),
        ({"start": "1999-12-31", "end": "2025-01-01"}, "“From”: Give a date between 2000 and 2099."),
    ],
)
@pytest.mark.parametrize("name", ["london", "outcome-summary", "abstraction-log"])
def test_an_invalid_range_is_named_beside_the_form(client, monitor, camden, params, problem, name):
    client.force_login(monitor)
    response = client.get(reverse(f"monitoring:{name}"), params)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="range-problem"')
    alert = page[start : page.index("</div>", start)]
    assert problem in alert
    assert "Showing the default weeks instead." in alert
    assert response.context["range_query"] == ""
    assert "start=" not in page.split('aria-label="Monitoring"')[1].split("</nav>")[0]


def test_an_invalid_range_shows_the_default_weeks(client, monitor, camden):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:london"), {"start": "2025-12-01", "end": "2025-01-01"})
    assert len(response.context["report"].week_starts) == 13
    assert response.context["form"].data["start"] == "2025-12-01"  # what was typed comes back


def test_a_valid_range_shows_no_problem(client, monitor, camden):
    client.force_login(monitor)
    response = client.get(reverse("monitoring:london"), RANGE)
    assert 'id="range-problem"' not in response.content.decode()
    assert len(response.context["report"].week_starts) == 8
