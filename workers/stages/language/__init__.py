"""Which language a text is in, and each language's words (function words, the data files' loader)."""
