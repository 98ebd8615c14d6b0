"""The command line with the render limits lifted: the baseline for what they cost.

Used by bench_build.py only. Each PDF normally renders under a time and memory limit
(workers._limited); here that is a no-op, in the build and in its forked workers.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handoutkit import workers  # noqa: E402
from handoutkit.cli import main  # noqa: E402

workers._limited = contextlib.nullcontext

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
