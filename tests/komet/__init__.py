"""komet tests."""
