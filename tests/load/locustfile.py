"""A municipal morning at Skolhubb, for Locust (run headless by tests/load/run_load.py).

Guardians (95 % of users) open the Hub (70 % of all requests), read news, the calendar and a
child's care week (15 %), report a child sick or comment on a care day (10 %, real POSTs with
CSRF); staff (5 %) open their day list and today's absence. Every user is a real, forged
session (tests/load/forge_sessions.py), about 500 different ones.
"""

import json
import os
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import FastHttpUser, between, events, task

SESSIONS_FILE = os.environ.get("SKOLHUBB_LOAD_SESSIONS", "var/load/sessions.json")
_data = json.loads(Path(SESSIONS_FILE).read_text(encoding="utf-8"))
COOKIE = _data["session_cookie"]


def stockholm_today():
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


GUARDIANS = [u for u in _data["users"] if u["role"] == "guardian"]
STAFF = [u for u in _data["users"] if u["role"] == "staff"]


class _Skolhubb(FastHttpUser):
    abstract = True
    wait_time = between(float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3")))
    pool: list = []

    def on_start(self):
        self.me = random.choice(self.pool)
        # Session cookies are Secure in production: send them as a header over the loopback.
        self.cookie = f"{COOKIE}={self.me['session']}; csrftoken={self.me['csrf']}"

    def get(self, url, name):
        with self.client.get(url, name=name, headers={"Cookie": self.cookie}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    def post(self, url, name, data):
        headers = {"Cookie": self.cookie, "Referer": self.host + url, "X-CSRFToken": self.me["csrf"]}
        with self.client.post(url, name=name, data=data, headers=headers, catch_response=True) as r:
            # A redirect after the change, or the form again with a Swedish error (a weekend).
            if r.status_code not in (200, 302):
                r.failure(f"{r.status_code}")


class Guardian(_Skolhubb):
    weight = 95
    pool = GUARDIANS

    @task(70)
    def hub(self):
        self.get("/", "Hub")

    @task(5)
    def news(self):
        self.get("/information/", "Information")

    @task(5)
    def calendar(self):
        self.get("/kalender/", "Kalender")

    @task(5)
    def care_week(self):
        if self.me["care_children"]:
            self.get(f"/schema/barn/{random.choice(self.me['care_children'])}/", "Omsorgsvecka")
        else:
            self.get("/franvaro/", "Frånvaro")

    @task(10)
    def report(self):
        child = random.choice(self.me["children"])
        if self.me["care_children"] and random.random() < 0.3:
            day = (stockholm_today() + timedelta(days=random.randint(1, 10))).isoformat()
            child = random.choice(self.me["care_children"])
            self.post(
                f"/schema/barn/{child}/kommentar/",
                "POST omsorgskommentar",
                {"csrfmiddlewaretoken": self.me["csrf"], "date": day, "body": "Hämtas av mormor"},
            )
        else:
            self.post(f"/franvaro/sjuk-idag/{child}/", "POST sjukanmälan", {"csrfmiddlewaretoken": self.me["csrf"]})


class Staff(_Skolhubb):
    weight = 5
    pool = STAFF

    @task(3)
    def day_list(self):
        if self.me["care_units"]:
            self.get(f"/schema/enhet/{random.choice(self.me['care_units'])}/", "Dagens barn (personal)")
        else:
            self.get("/franvaro/idag/", "Dagens frånvaro (personal)")

    @task(2)
    def absence_today(self):
        self.get("/franvaro/idag/", "Dagens frånvaro (personal)")


@events.init_command_line_parser.add_listener
def _args(parser):
    parser.add_argument("--skolhubb-note", default="", help="a note for the report")
