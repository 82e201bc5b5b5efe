"""Engine: the answer key, preparing a notebook, sandboxed kernels, the student's run, reading
answers back, scoring, and writing the gradebook; :mod:`autograder.engine.grade` runs a batch."""
