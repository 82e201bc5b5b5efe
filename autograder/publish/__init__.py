"""Publishing: ``release/`` from ``source/``, the student copy, and the one rule of which
lines of a source notebook are secret (:mod:`autograder.publish.secrets`)."""
