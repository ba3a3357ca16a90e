"""The ``incentives`` command line: check, explain, policies (and ask, with retrieval)."""
