"""Errors the course package raises, each saying what is wrong and where."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["ContentError", "ContentProblems", "Problems", "UnknownActivityError"]


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


class ContentProblems(ContentError):
    """Several content files or entries are broken: :attr:`errors` holds every one.

    ``file``, ``reason``, ``line``... are the first error's, so a caller that reads one
    error still can; the message lists them all, one per line.
    """

    def __init__(self, errors: list[ContentError]) -> None:
        first = errors[0]
        super().__init__(
            first.file, first.reason, where=first.where, line=first.line, column=first.column
        )
        self.errors = tuple(errors)
        lines = "\n".join(f"  - {e}" for e in errors)
        ValueError.__init__(self, f"{len(errors)} problems:\n{lines}")


class Problems:
    """Collect the :class:`ContentError` of each part of a load, to report them all.

    ``with problems.guard(): ...`` records an error and goes on with the next part;
    :meth:`raise_any` raises the one error unchanged, or :class:`ContentProblems`.
    """

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except ContentProblems as many:
            self.errors.extend(many.errors)
        except ContentError as one:
            self.errors.append(one)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ContentProblems(self.errors)
