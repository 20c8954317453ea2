"""Demonstration data: each app may have a `demo` module with `load(ctx)`; they run in app order.

Never called by migrations: only by `pressdesk demo` and `pressdesk start`.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.test.utils import override_settings


@dataclass
class DemoContext:
    """What the loaders share: users by role key, organisations by key, and lines to print."""

    users: dict[str, Any] = field(default_factory=dict)
    orgs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


DEMO_PASSWORD = "pressdesk-demo-2024"  # noqa: S105  printed to the newcomer, demo accounts only


def load_demo() -> DemoContext:
    """Load every app's demonstration data. It is not news: no e-mail leaves while it loads."""
    ctx = DemoContext()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load_all(ctx)
    return ctx


def _load_all(ctx: DemoContext) -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("pressdesk."):
            continue
        module_name = f"{config.name}.demo"
        if config.name == "pressdesk.core" or importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        with transaction.atomic():
            module.load(ctx)
