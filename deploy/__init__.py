"""The production profile: cluster launcher and its configuration (see deploy/cluster.py)."""
