"""Reads of the appraisal (no writes)."""
