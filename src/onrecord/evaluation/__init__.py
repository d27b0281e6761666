"""Evaluation: score extraction against annotated corpora (PolNeAR)."""
