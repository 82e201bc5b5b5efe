"""Publishing the course: ``release/`` from ``source/``, the student copy, the self-paced
edition, the JupyterLite site, and the one rule of which lines of a source notebook are
secret (:mod:`autograder.publish.secrets`)."""
