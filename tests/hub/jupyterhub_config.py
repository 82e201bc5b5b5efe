# jupyterhub_config.py: the course on a JupyterHub where every person has a Unix account.
# Run JupyterHub as root from the kit's environment (for example
# /opt/itil-svc/.venv/bin/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py).
import sys
from pathlib import Path

c = get_config()  # noqa: F821

# The environment JupyterHub runs from holds the kit: the same for every user, who must
# be able to read and run it (check every folder up to /, e.g. with `namei -l`).
kit = Path(sys.prefix)

# Log in with the machine's own accounts (PAM): students and instructors of the
# course are members of the Unix group itil-svc.
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {"itil-svc"}

# Each server runs as its user, in that user's home folder (JupyterHub refuses root).
c.JupyterHub.spawner_class = "localprocess"
c.JupyterHub.hub_ip = "127.0.0.1"
c.Spawner.cmd = [str(kit / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": f"{kit / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
