"""Helpers more than one step uses: URL canonicalisation, the optional C versions of hot loops."""
