"""The home page's "what awaits me": each app may offer `inbox.items(user)`; they are gathered here."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class InboxItem:
    label: str
    count: int
    url: str
    urgent: bool = False


def inbox_for(user: Any) -> list[InboxItem]:
    items: list[InboxItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pressdesk.") or config.name == "pressdesk.core":
            continue
        module_name = f"{config.name}.inbox"
        if importlib.util.find_spec(module_name) is None:
            continue
        items.extend(importlib.import_module(module_name).items(user))
    return items
