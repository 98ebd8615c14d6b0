"""handoutkit: plain-language patient handouts from YAML, rendered to tagged PDF."""

__version__ = "0.1.0"
