"""Outputs: what the gradebook and the grader's notes become: CSV export, feedback pages,
the class report with its charts, and the terminal's progress bar and summary."""
