"""Pure pipeline stages: values in, values out; no clock, no environment, no network, no Kafka.

The steps are the modules at the top (decoding, cleaning, enrichment, normalization); the modules they use
are grouped by concern beneath them: text/, html/, language/, enrich/, and common/ for helpers of several.
"""
