"""Custom Rasa input channels (imported by the Rasa server, Python 3.10 environment)."""
