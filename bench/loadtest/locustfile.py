"""Locust users for the load-with-faults run (started by ``bench.loadtest.run``, not by hand).

Three kinds of client act at once, like the real site on a busy evening:

* ``PublicReader``: home, borough and ward pages, session pages, iCal feeds, the open-data API.
* ``Proposer``: a Dedicated Ward Officer who signs in and posts the real propose forms (one
  session, sometimes a weekly series). Each officer books its own distinct far-future slots;
  now and then one repeats a slot it already asked for, which must be refused as an overlap.
  The first two proposers sign in as the same officer and post overlapping slots at the same
  moment (``Race``): exactly one may be accepted, or the officer is booked twice.
* ``Approver``: a Safer Neighbourhood Board member who opens the review queue and approves
  one proposal with the queue's own form (its ``version`` field), then reads the message.

Every write is logged to LOADTEST_WRITES (JSON lines) with what the client was TOLD:
``accepted`` (the success redirect), ``refused`` (a clear message, nothing should be saved)
or ``unknown`` (an error or a lost connection: it may or may not have been saved).
Every request's outcome is also counted per second for the timeline around the restart.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import gevent.event
from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
WRITES = Path(os.environ["LOADTEST_WRITES"])
REQUESTS = Path(os.environ["LOADTEST_REQUESTS"])
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "contact-sessions-demo")
TIMEOUT = 20  # seconds: a request that takes longer counts as an error
MARK = "Load test "
LONDON = ZoneInfo("Europe/London")
# Far enough ahead that nothing in the demo data is near, different each run.
RUN_OFFSET = random.randrange(0, 200)
SINGLE_BASE = dt.date.today() + dt.timedelta(days=400 + RUN_OFFSET * 3)
SERIES_BASE = dt.date.today() + dt.timedelta(days=1100 + RUN_OFFSET * 3)

_lock = threading.Lock()
_writes = WRITES.open("a", encoding="utf-8")
_per_second: dict[int, Counter] = defaultdict(Counter)
_failures: list[dict] = []


def log_write(**record) -> None:
    record["ts"] = time.time()
    with _lock:
        _writes.write(json.dumps(record) + "\n")
        _writes.flush()


def error_kind(response, exception) -> str:
    if exception is not None and not getattr(response, "status_code", 0):
        return type(exception).__name__
    return f"HTTP {response.status_code}"


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response, context, exception, start_time, **kw):
    second = int(start_time + response_time / 1000)  # when the answer (or the error) came
    _per_second[second]["requests"] += 1
    if exception is not None:
        kind = error_kind(response, exception)
        _per_second[second][kind] += 1
        if len(_failures) < 2000:
            _failures.append({"ts": second, "name": name, "kind": kind, "ms": round(response_time)})


@events.quitting.add_listener
def _dump(environment, **kw):
    REQUESTS.write_text(
        json.dumps({"per_second": {str(k): dict(v) for k, v in sorted(_per_second.items())}, "failures": _failures})
    )
    _writes.close()


class LoopbackCookies(RequestsCookieJar):
    """Production cookies are Secure; this run talks plain HTTP on loopback, so keep them as plain
    cookies (TLS would end at a proxy in front of gunicorn in production anyway)."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


# --- reading pages ---------------------------------------------------------------------------


class Page(HTMLParser):
    """The forms on a page (with the values a browser would submit) and its messages."""

    MESSAGE_CLASSES = {"alert-success", "alert-danger", "alert-warning", "alert-info", "invalid-feedback"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.messages: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._capture: list[tuple[str, int, list[str]]] = []  # (class, depth, text)
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        classes = set((a.get("class") or "").split())
        hit = classes & self.MESSAGE_CLASSES
        if hit:
            self._capture.append((sorted(hit)[0], self._depth, []))
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": [], "options": defaultdict(list)})
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form["options"][a["name"]].append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file"):
                form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            form["options"][self._select].append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                form["fields"].append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if self._capture and self._capture[-1][1] == self._depth:
            kind, _, text = self._capture.pop()
            self.messages.append((kind, " ".join(" ".join(text).split())))
        self._depth -= 1
        if not self.forms:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1]["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1]["fields"].append((self._textarea, "".join(self._text)))
            self._textarea = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._depth -= 1  # void element: no end tag follows

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)
        for _, _, text in self._capture:
            text.append(data)

    def form_with(self, field: str) -> dict | None:
        return next((f for f in self.forms if any(name == field for name, _ in f["fields"])), None)


def replace(fields: list[tuple[str, str]], **values) -> list[tuple[str, str]]:
    """The form's defaults with some fields set (a list value sets a multi-valued field)."""
    out = [(k, v) for k, v in fields if k not in values]
    for key, value in values.items():
        if isinstance(value, list):
            out += [(key, v) for v in value]
        elif value is not None:
            out.append((key, value))
    return out


# --- clients -----------------------------------------------------------------------------------


class PublicReader(HttpUser):
    weight = 6
    wait_time = between(0.5, 2.0)

    @task(3)
    def home(self):
        self.client.get("/", timeout=TIMEOUT)

    @task(3)
    def ward(self):
        code = random.choice(PLAN["wards"])
        self.client.get(f"/wards/{code}/", name="/wards/[code]/", timeout=TIMEOUT)

    @task(2)
    def borough(self):
        code = random.choice(PLAN["boroughs"])
        self.client.get(f"/boroughs/{code}/", name="/boroughs/[code]/", timeout=TIMEOUT)

    @task(2)
    def ward_ical(self):
        code = random.choice(PLAN["wards"])
        self.client.get(f"/wards/{code}/sessions.ics", name="/wards/[code]/sessions.ics", timeout=TIMEOUT)

    @task(1)
    def borough_ical(self):
        code = random.choice(PLAN["boroughs"][:3])
        self.client.get(f"/boroughs/{code}/sessions.ics", name="/boroughs/[code]/sessions.ics", timeout=TIMEOUT)

    @task(1)
    def session(self):
        if PLAN["sessions"]:
            pk = random.choice(PLAN["sessions"])
            self.client.get(f"/sessions/{pk}/", name="/sessions/[pk]/", timeout=TIMEOUT)

    @task(2)
    def api_events(self):
        code = random.choice(PLAN["wards"])
        self.client.get(f"/api/metropolitan/{code}/events", name="/api/metropolitan/[code]/events", timeout=TIMEOUT)


class StaffUser(HttpUser):
    abstract = True
    username: str = ""

    def on_start(self):
        self.client.cookies = LoopbackCookies()
        self.signed_in = False

    def sign_in(self) -> bool:
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name="/accounts/login/", timeout=TIMEOUT)
        if page.status_code != 200:
            return False
        form = Page(page.text).form_with("password")
        if form is None:
            return False
        data = replace(form["fields"], username=self.username, password=PASSWORD)
        with self.client.post(
            "/accounts/login/",
            data=data,
            name="/accounts/login/ POST",
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
        ) as response:
            if response.status_code == 302:
                self.signed_in = True
            elif response.status_code == 200:
                response.failure("log-in refused")
        return self.signed_in

    def ensure_signed_in(self) -> bool:
        return self.signed_in or self.sign_in()

    def signed_out(self, response) -> bool:
        """A redirect to the log-in page: the session ended; sign in again next time."""
        if response.status_code in (301, 302) and "/accounts/login/" in response.headers.get("Location", ""):
            self.signed_in = False
            return True
        return False


class Slots:
    """Each officer's own slots: distinct days, so its proposals never overlap by accident."""

    _counters: dict[str, itertools.count] = {}
    _last: dict[str, dt.date] = {}

    @classmethod
    def next_day(cls, username: str) -> dt.date:
        counter = cls._counters.setdefault(username, itertools.count())
        day = SINGLE_BASE + dt.timedelta(days=next(counter))
        cls._last[username] = day
        return day

    @classmethod
    def last_day(cls, username: str) -> dt.date | None:
        return cls._last.get(username)

    @classmethod
    def next_series(cls, username: str) -> dt.date:
        counter = cls._counters.setdefault(username + "/series", itertools.count())
        return SERIES_BASE + dt.timedelta(days=28 * next(counter))


class Race:
    """Rounds in which the two clients signed in as one officer meet before posting."""

    rounds: dict[int, dict] = {}

    @classmethod
    def meet(cls, number: int, username: str) -> tuple[dt.date, bool]:
        """The day both post for in this round, and whether this client arrived first.
        The first waits (at most 15 s) for the other, so the two posts leave together."""
        entry = cls.rounds.get(number)
        if entry is None:
            entry = cls.rounds[number] = {"day": Slots.next_day(username), "met": gevent.event.Event()}
            entry["met"].wait(timeout=15)
            return entry["day"], True
        entry["met"].set()
        return entry["day"], False


class Proposer(StaffUser):
    weight = 3
    wait_time = between(0.5, 2.0)
    _seats = itertools.count()

    def on_start(self):
        super().on_start()
        dwos = PLAN["dwos"]
        seat = next(Proposer._seats)
        # Seats 0 and 1 share the first officer (demo-dwo); the rest get one each.
        self.dwo = dwos[0] if seat < 2 else dwos[(seat - 1) % len(dwos)]
        self.username = self.dwo["username"]
        self.ward_id = self.dwo["ward_id"]
        self.twin, self.round = seat < 2, 0

    @task(8)
    def propose(self):
        if self.twin:
            return self.race()

        def slot():
            username = self.username
            repeat = random.random() < 0.12 and Slots.last_day(username) is not None
            day = Slots.last_day(username) if repeat else Slots.next_day(username)
            start, end = (dt.time(10, 30), dt.time(11, 30)) if repeat else (dt.time(10, 0), dt.time(11, 0))
            return day, start, end, {"date": day.isoformat()}

        self._submit("propose", f"/office/wards/{self.ward_id}/propose/", slot)

    def race(self):
        """The two clients signed in as one officer post overlapping slots at the same moment:
        one must be accepted and the other refused."""
        self.round += 1

        def slot():
            day, first = Race.meet(self.round, self.username)
            start, end = (dt.time(10, 0), dt.time(11, 0)) if first else (dt.time(10, 30), dt.time(11, 30))
            return day, start, end, {"date": day.isoformat()}

        self._submit("propose", f"/office/wards/{self.ward_id}/propose/", slot)

    @task(1)
    def series(self):
        def slot():
            first = Slots.next_series(self.username)
            fields = {"weekday": str(first.weekday()), "first_date": first.isoformat(), "weeks": "4", "until": ""}
            return first, dt.time(18), dt.time(19), fields

        self._submit("series", f"/office/wards/{self.ward_id}/series/", slot, weeks=4)

    def _submit(self, op, url, slot, weeks=None):
        if not self.ensure_signed_in():
            return
        name = url.replace(str(self.ward_id), "[ward]")
        page = self.client.get(url, name=name, timeout=TIMEOUT, allow_redirects=False)
        if self.signed_out(page) or page.status_code != 200:
            return
        form = Page(page.text).form_with("start_time")
        venues = [v for v in (form["options"].get("venue", []) if form else []) if v]
        if not form or not venues:
            return
        day, start, end, extra = slot()
        token = uuid.uuid4().hex
        data = replace(
            form["fields"],
            start_time=start.strftime("%H:%M"),
            end_time=end.strftime("%H:%M"),
            venue=random.choice(venues),
            officers=[str(self.dwo["officer_id"])],
            description=f"{MARK}{token}",
            **extra,
        )
        begun = dt.datetime.combine(day, start, tzinfo=LONDON)
        record = {
            "op": op,
            "user": self.username,
            "ward_id": self.ward_id,
            "start": begun.isoformat(),
            "token": token,
            "weeks": weeks,
            "sent": time.time(),
        }
        with self.client.post(
            url, data=data, name=name + " POST", allow_redirects=False, catch_response=True, timeout=TIMEOUT
        ) as response:
            location = response.headers.get("Location", "") if response.status_code else ""
            if self.signed_out(response):
                log_write(**record, told="refused", detail="signed out")
                response.success()
            elif response.status_code == 302:
                found = re.search(r"/office/sessions/(\d+)/", location)
                log_write(**record, told="accepted", pk=int(found.group(1)) if found else None)
                response.success()
            elif response.status_code == 200:
                messages = [text for kind, text in Page(response.text).messages if kind != "alert-success"]
                log_write(**record, told="refused", detail=" | ".join(messages)[:300])
                response.success()
            elif 400 <= response.status_code < 500:
                log_write(**record, told="refused", detail=f"HTTP {response.status_code}")
            else:
                log_write(**record, told="unknown", detail=error_kind(response, response.error))


class Approver(StaffUser):
    weight = 1
    wait_time = between(0.5, 2.0)
    fixed_count = 2
    _seats = itertools.count()

    def on_start(self):
        super().on_start()
        self.username = PLAN["snbs"][next(Approver._seats) % len(PLAN["snbs"])]
        self.queue: Page | None = None

    @task
    def approve(self):
        if not self.ensure_signed_in():
            return
        if self.queue is None:
            response = self.client.get("/board/", name="/board/", timeout=TIMEOUT, allow_redirects=False)
            if self.signed_out(response) or response.status_code != 200:
                return
            self.queue = Page(response.text)
        forms = [f for f in self.queue.forms if "/approve/" in f["action"] and "/sessions/" in f["action"]]
        self.queue = None
        if not forms:
            return
        form = random.choice(forms)
        pk = int(re.search(r"/sessions/(\d+)/approve/", form["action"]).group(1))
        version = dict(form["fields"]).get("version")
        record = {"op": "approve", "user": self.username, "pk": pk, "version": version, "sent": time.time()}
        with self.client.post(
            form["action"],
            data=form["fields"],
            name="/board/sessions/[pk]/approve/",
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
        ) as response:
            if self.signed_out(response):
                log_write(**record, told="refused", detail="signed out")
                response.success()
                return
            if response.status_code != 302:
                told = "refused" if 400 <= response.status_code < 500 else "unknown"
                log_write(**record, told=told, detail=error_kind(response, response.error))
                return
            response.success()
        # The decision is told by the message on the page the redirect leads to.
        page = self.client.get("/board/", name="/board/ (after approving)", timeout=TIMEOUT, allow_redirects=False)
        if page.status_code != 200:
            log_write(**record, told="unknown", detail="message not read: " + error_kind(page, page.error))
            return
        self.queue = Page(page.text)
        kinds = {kind for kind, _ in self.queue.messages}
        text = " | ".join(t for _, t in self.queue.messages)[:300]
        if "alert-success" in kinds and "Approved." in text:
            log_write(**record, told="accepted")
        elif kinds & {"alert-danger", "alert-warning"}:
            log_write(**record, told="refused", detail=text)
        else:
            log_write(**record, told="unknown", detail="no message: " + text)
