"""Intake: collect LMS downloads into ``submitted/`` and read a submission (never trusting it)."""
