"""What enrich finds in a clean article: dateline, byline, dates, entities, places, quotes, fingerprint."""
