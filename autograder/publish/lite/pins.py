"""Every version the JupyterLite site is built from: the one place to change them.

jupyterlite-core and jupyterlite-pyodide-kernel are released in step and must
match (the 0.8.7 kernel refuses core 0.8.6); the kernel expects the Pyodide
named here. The browser's Python packages come from Pyodide's own lock file
(at the versions it pins) and from the list below; ``lite.fetch`` downloads
each by name and version, and fails if one the kit needs is missing.
"""

from __future__ import annotations

#: jupyterlite-core and jupyterlite-pyodide-kernel, which pair.
JUPYTERLITE = "0.8.6"
#: the npm package ``pyodide`` (the runtime: Python 3.14 compiled to WebAssembly).
PYODIDE = "314.0.6"

#: What ``jupyter lite build`` runs in: the tools (jupyter-server indexes the
#: notebooks), and the JupyterLab extensions that draw the widgets (their
#: versions match the Python packages below).
BUILD_TOOLS = (
    f"jupyterlite-core=={JUPYTERLITE}",
    f"jupyterlite-pyodide-kernel=={JUPYTERLITE}",
    "jupyter-server==2.21.1",
    "jupyterlab-widgets==3.0.17",
    "ipycytoscape==1.3.3",
)

#: Pure wheels from PyPI for the browser, beyond Pyodide's lock.
BROWSER_WHEELS = {
    "ipywidgets": "8.1.9",
    "jupyterlab-widgets": "3.0.17",
    "comm": "0.2.3",
    "ipycytoscape": "1.3.3",
    "spectate": "1.0.1",
}

#: PyYAML has no browser wheel on PyPI: it is built pure (no libyaml) from its source.
PYYAML = "6.0.3"

#: What builds the kit's own wheel without the network.
SETUPTOOLS = "80.9.0"
