"""harness tests."""
