# /etc/jupyter/nbgrader_config.py: read by every user's nbgrader on the machine.
c = get_config()  # noqa: F821

# The exchange: one folder for every course on the hub (created once, see above).
c.Exchange.root = "/srv/nbgrader/exchange"
# Each course has its own folder in the exchange and in the students' homes
# (~/<course id>/06-practice/...), so two courses may both have a 06-practice.
c.Exchange.path_includes_course = True
