"""What a build tells its caller: the report at the end, and progress as each PDF is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError

BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What was not built and why: by language ("es"), clinic profile ("example"),
    # clinic and language ("example/es") or bilingual pair ("en+es").
    failures: dict[str, ContentError] = field(default_factory=dict)
    unsaved: str = ""  # why the manifest could not be written, if it could not
    seconds: float = 0.0


class Progress:
    """Told how many PDFs a build has to consider, then of each as it is done. This one
    says nothing; the command line shows a bar, or a line per PDF."""

    def start(self, total: int) -> None:
        pass

    def step(self, name: str, status: str) -> None:  # status: BUILT, SKIPPED or FAILED
        pass

    def close(self) -> None:
        """The build is over (or stopped): take down what start() put up."""
