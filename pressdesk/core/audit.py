"""The permanent transition log shared by every workflow."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from pressdesk.core.models import TransitionRecord


def transition_record(
    *,
    subject: models.Model,
    actor: Any,
    action: str,
    old: str = "",
    new: str = "",
    role: str = "",
    organisation: Any = None,
    note: str = "",
    document_number: str = "",
    data: dict[str, Any] | None = None,
) -> TransitionRecord:
    return TransitionRecord.objects.create(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=subject.pk,
        action=action,
        from_state=old or "",
        to_state=new or "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        role=str(role or ""),
        organisation=organisation,
        note=note or "",
        document_number=document_number or "",
        data=data or {},
    )


def history_for(subject: models.Model) -> QuerySet[TransitionRecord]:
    return TransitionRecord.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=subject.pk,
    ).select_related("actor", "organisation")
