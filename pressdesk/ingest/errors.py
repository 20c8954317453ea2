"""One error type for every way ingestion can fail or skip, each with a named reason."""

from __future__ import annotations

# Reasons that a later attempt may cure (the server or the network, not the content).
RETRYABLE_REASONS = frozenset({"timeout", "connect_error", "http_status_retryable", "robots_unavailable"})


class FetchError(Exception):
    """A classified failure: `reason` is a short stable name counted in run summaries.

    Reasons: refused_address, robots, too_large, timeout, connect_error, http_status, redirect_loop,
    too_many_redirects, decode_error, not_modified, bad_scheme, bad_url, not_a_feed, malformed_xml,
    not_an_article, no_text.
    """

    def __init__(self, reason: str, message: str = "", *, retryable: bool = False, status: int | None = None):
        super().__init__(f"{reason}: {message}" if message else reason)
        self.reason = reason
        self.message = message or reason
        self.retryable = retryable
        self.status = status

    def __reduce__(self):  # picklable across processes (extraction pool, Celery)
        return (_rebuild, (self.reason, self.message, self.retryable, self.status))


def _rebuild(reason: str, message: str, retryable: bool, status: int | None) -> FetchError:
    return FetchError(reason, message, retryable=retryable, status=status)
