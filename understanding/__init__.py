"""Chinese text understanding for the chat: numbers, facts, places and what a message asks for.

Pure (no Rasa, no I/O): used by the Rasa actions and testable on plain strings.
"""
