"""Signals other parts listen to (commissioning does not import them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that records a published work; kwargs: delivery, actor, quiet
# (True while notifications are muted, i.e. demonstration data: no network work).
# Reports listens to check a delivery with a URL by machine once the transaction commits.
delivery_recorded = Signal()
