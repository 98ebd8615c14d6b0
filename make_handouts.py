#!/usr/bin/env python3
"""Build the patient handouts: `python make_handouts.py build` (see README.md)."""

import sys

from handoutkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
