"""Whole expected entries for the era readers' snippet tests: every field of an experience or an
education entry written out, so a reader that drops or swaps one fails the comparison."""

from __future__ import annotations

from typing import Any


def job(title: str, company: str | None, start: str | None, end: str | None, **more: Any) -> dict:
    """An experience entry; ``location`` and ``description`` are None unless given."""
    return {"title": title, "company": company, "location": more.get("location"),
            "start": start, "end": end, "description": more.get("description")}  # fmt: skip


def school(school: str, degree: str | None, field: str | None, start: str | None,
           end: str | None) -> dict:  # fmt: skip
    """An education entry."""
    return {"school": school, "degree": degree, "field": field, "start": start, "end": end}
