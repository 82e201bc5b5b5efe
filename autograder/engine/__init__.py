"""Running and scoring one submission."""
