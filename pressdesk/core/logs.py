"""Structured logging: request ids on every record, one JSON object per line when asked, no secrets.

Wired from settings.LOGGING: `RequestIdFilter` and `RedactSecretsFilter` sit on the console handler, so
every record that reaches the output passes both, whichever logger emitted it. `LOG_FORMAT=json`
selects `JsonFormatter`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("pressdesk_request_id", default="-")

REDACTED = "[redacted]"

# key=value / "key": "value" pairs whose key names a secret. The value runs to the next separator.
_SECRET_NAMES = "|".join(  # names of secrets, not secrets
    (
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "api[_-]?key",
        "access[_-]?key",
        "authorization",
        "csrfmiddlewaretoken",
        "sessionid",
        "cookie",
        "private[_-]?key",
    )
)
_PAIR_RE = re.compile(
    rf"""(?P<key>["']?[\w-]*(?:{_SECRET_NAMES})[\w-]*["']?\s*[=:]\s*)(?P<quote>["']?)(?P<value>[^\s"',;&}}]+)""",
    re.IGNORECASE,
)
# `Authorization: Token abc`, `Bearer abc`, `Basic abc`.
_AUTH_RE = re.compile(r"\b(?P<scheme>Token|Bearer|Basic)\s+(?P<value>[A-Za-z0-9._~+/=-]{6,})", re.IGNORECASE)
# Passwords inside URLs: scheme://user:password@host.
_URL_PASSWORD_RE = re.compile(r"(?P<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<value>[^@\s/]+)(?P<at>@)", re.I)


def _known_secrets() -> list[str]:
    """Literal secret values from the configuration, longest first (so none hides inside another)."""
    values: list[str] = []
    try:
        from django.conf import settings

        if settings.configured:
            values.append(str(getattr(settings, "SECRET_KEY", "") or ""))
            values.append(str(getattr(settings, "EMAIL_HOST_PASSWORD", "") or ""))
            values.append(str(getattr(settings, "PRESSDESK_METRICS_TOKEN", "") or ""))
            for db in getattr(settings, "DATABASES", {}).values():
                values.append(str(db.get("PASSWORD") or ""))
            for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
                values.append(_url_password(str(getattr(settings, name, "") or "")))
    except Exception:  # noqa: S110 - logging must never fail because settings are incomplete
        pass
    for name in ("SECRET_KEY", "EMAIL_HOST_PASSWORD", "PRESSDESK_METRICS_TOKEN"):
        values.append(os.environ.get(name, ""))
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        values.append(_url_password(os.environ.get(name, "")))
    # Short values would blank out ordinary words; real secrets are long.
    return sorted({v for v in values if len(v) >= 6}, key=len, reverse=True)


def _url_password(url: str) -> str:
    try:
        return urlsplit(url).password or ""
    except ValueError:
        return ""


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """`text` with every configured secret and every secret-looking pair replaced by [redacted]."""
    for secret in _known_secrets() if secrets is None else secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    text = _URL_PASSWORD_RE.sub(lambda m: f"{m['prefix']}{REDACTED}{m['at']}", text)
    text = _AUTH_RE.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = _PAIR_RE.sub(lambda m: f"{m['key']}{m['quote']}{REDACTED}", text)
    return text


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the current request's id, or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RedactSecretsFilter(logging.Filter):
    """Rewrites the record so that neither its message, its arguments nor its traceback carry a secret.

    The message is rendered once here (msg % args), redacted, and the args dropped: formatters downstream
    then print the redacted text. Exception text is rendered and redacted the same way.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _known_secrets()
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message, secrets)
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info), secrets)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        # Extra fields (e.g. `request` passed by Django) are not printed by our formatters except the
        # ones listed in JsonFormatter.EXTRA; redact those string values too.
        for name in JsonFormatter.EXTRA:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value, secrets))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and a few known extras."""

    EXTRA = ("status_code", "method", "path", "duration_ms", "task", "task_id", "user")

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "process": record.process,
        }
        for name in self.EXTRA:
            value = getattr(record, name, None)
            if value is not None:
                payload[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exception"] = record.exc_text
        if record.stack_info:
            payload["stack"] = record.stack_info
        return json.dumps(payload, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    default_fmt = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

    def __init__(self, fmt: str | None = None, **kwargs: Any) -> None:
        super().__init__(fmt or self.default_fmt, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return super().format(record)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING dict for settings: console output, request ids, redaction, plain or JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "pressdesk.core.logs.RequestIdFilter"},
            "redact": {"()": "pressdesk.core.logs.RedactSecretsFilter"},
        },
        "formatters": {
            "plain": {"()": "pressdesk.core.logs.PlainFormatter"},
            "json": {"()": "pressdesk.core.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["request_id", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own request/server loggers have handlers of their own that bypass the root's
            # filters; send them through ours instead.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": level, "propagate": False},
            "celery": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }
