"""Commissioning's entries for the project-wide authorisation matrix, checked with that matrix's own runner."""

from __future__ import annotations

import pytest

from tests.commissioning.routes_access import COMMISSIONING_ACCESS
from tests.security import test_authorization_matrix as matrix
from tests.security.routes import api_routes, page_routes


def test_every_commissioning_route_has_an_entry() -> None:
    routes = {r.key for r in page_routes()} | {r.key for r in api_routes()}
    ours = {k for k in routes if k.startswith("commissioning:") or "/api/commissioning/" in k}
    assert ours == set(COMMISSIONING_ACCESS)


@pytest.mark.django_db
def test_commissioning_pages_answer_each_persona(personas, monkeypatch) -> None:
    monkeypatch.setattr(matrix, "TABLE", COMMISSIONING_ACCESS)
    matrix.test_pages_answer_each_persona_as_the_table_says(personas)


@pytest.mark.django_db
def test_commissioning_api_answers_each_persona(personas, monkeypatch) -> None:
    monkeypatch.setattr(matrix, "TABLE", COMMISSIONING_ACCESS)
    matrix.test_api_operations_answer_each_persona_as_the_table_says(personas)


personas = matrix.personas
