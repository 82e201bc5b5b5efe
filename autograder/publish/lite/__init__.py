"""The course as a JupyterLite site: lessons, quizzes and builder in any browser.

``python -m autograder.publish.lite fetch`` puts every artefact the site is made
of into a cache folder, with the ordinary clients (``pip``, ``npm``) and by name,
at the versions pinned in :mod:`autograder.publish.lite.pins`;
``python -m autograder.publish.lite build`` then makes the site from that cache
alone, with no network. ``make lite`` runs both.
"""
