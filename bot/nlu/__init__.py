"""Custom Rasa NLU components (imported by the Rasa server, Python 3.10 environment)."""
