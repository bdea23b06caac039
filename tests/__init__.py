"""argmap test suite."""
