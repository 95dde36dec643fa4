"""Forms render radio and checkbox groups as fieldsets from one include (no template asks a
field's name); the focus ring has at least 3:1 contrast against the page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CSS = (ROOT / "static/css/skolhubb.css").read_text(encoding="utf-8")


def _luminance(hex_color: str) -> float:
    rgb = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _var(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)


def test_focus_ring_contrast_at_least_3_to_1():
    focus = _var("focus-color")
    for background in ("surface", "bg", "brand-soft"):
        assert _contrast(focus, _var(background)) >= 3, background
    assert ":focus-visible { outline: var(--focus)" in CSS


def test_no_template_tests_field_names():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        if ".venv" not in path.parts and re.search(r"field\.name\s*(==|in)\s", path.read_text(encoding="utf-8"))
    ]
    offenders += [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").glob("**/*.html")
        if re.search(r"field\.name\s*(==|in)\s", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


@pytest.mark.django_db
def test_choice_groups_are_fieldsets_with_a_legend(client_for):
    html = client_for("guardian").get(reverse("absence:report-create")).content.decode()
    for legend in ("Vem gäller det?", "Orsak", "När?", "Hela eller del av dagen"):
        assert re.search(rf'<fieldset class="field choice[^"]*"[^>]*>\s*<legend>{re.escape(legend)}', html), legend
