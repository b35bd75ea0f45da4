"""Examples of systems kasim can put under test."""
