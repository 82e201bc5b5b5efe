"""The views of the course: the only package that imports ipywidgets.

Only :mod:`course.widgets._cytoscape` imports ipycytoscape.
"""
