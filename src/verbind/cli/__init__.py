"""The ``verbind`` command line: a thin shell over verbind.core."""
