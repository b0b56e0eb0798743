"""One module per extra command; each registers itself on ``gidraft.cli.app`` when imported."""
