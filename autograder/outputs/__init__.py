"""What the kit writes for people to open: HTML, CSV, terminal text."""
