"""Domain errors: a stable code for programs and a Vietnamese message for people."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses. `code` is stable; `message` is what a user reads."""

    status_code = 400

    def __init__(self, code: str, message: str = "", **params: Any) -> None:
        self.code = code
        self.params = params
        self.message = message or code
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "params": {k: str(v) for k, v in self.params.items()},
        }


class ValidationFailed(DomainError):
    status_code = 422


class TransitionError(DomainError):
    """The object is not in a state that allows the action."""

    status_code = 409


class NotFound(DomainError):
    status_code = 404
