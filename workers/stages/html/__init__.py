"""Reading HTML pages: one bounded parse, then main text, boilerplate rules, related links and metadata."""
