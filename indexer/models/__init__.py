"""Model files shipped as package data (see NOTICE.md)."""
