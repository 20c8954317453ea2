from __future__ import annotations

import pytest

from pressdesk.nlp.analyser import Analyser


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """Loading the models takes a few seconds: one Analyser for the whole session."""
    return Analyser()
