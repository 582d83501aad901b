"""kafka-python tools around the pipeline: replay, offsets reset, diff of output topics, redrive of dead letters."""
