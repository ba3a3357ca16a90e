"""Rasa assets (domain, data) and custom channels. Runs in the Rasa (Python 3.10) environment."""
