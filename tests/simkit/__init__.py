"""simkit tests."""
