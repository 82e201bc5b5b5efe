"""Errors the course package raises, each saying what is wrong and where."""

from __future__ import annotations

__all__ = ["ContentError", "UnknownActivityError"]


class ContentError(ValueError):
    """A content file is broken.

    The message names the file, the line and column (when known), the place in
    the document as a path such as ``activities[2].purpose``, and the reason.
    """

    def __init__(
        self,
        file: str,
        reason: str,
        *,
        where: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file = file
        self.reason = reason
        self.where = where
        self.line = line
        self.column = column
        place = file
        if line is not None:
            place += f", line {line}"
            if column is not None:
                place += f", column {column}"
        if where:
            place += f" ({where})"
        super().__init__(f"{place}: {reason}")


class UnknownActivityError(ValueError):
    """A name that is not one of the six activities of the chain."""

    def __init__(self, given: object, valid: list[str], suggestion: str | None = None) -> None:
        self.given = given
        self.valid = valid
        self.suggestion = suggestion
        hint = f" Did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(
            f"{given!r} is not a Service Value Chain activity.{hint} "
            f"The six activities are: {', '.join(valid)}."
        )
