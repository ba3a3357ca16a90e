"""The website: chat page and staff FAQ page, served with a small JSON API (see web.app)."""
