"""The engine, the Python API, limits, the sandbox, and the repository's own checks."""
