"""The loaders: fixture mapping, the fast path, synthetic data, live AWS loads, the cache."""
