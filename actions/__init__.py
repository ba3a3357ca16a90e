"""Thin Rasa custom actions: read slots, call eligibility or retrieval, render in Chinese.

Heavy things (rule book, retrieval model and index) load lazily in ``_runtime`` on first use:
rasa-sdk imports this package in two processes and only the worker should pay for them.
"""
