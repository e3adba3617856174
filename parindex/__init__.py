"""parindex — Chỉ số cải cách hành chính (PAR Index) for a Vietnamese province."""

__version__ = "0.1.0"
