"""The streaming shell: a faust app whose agents are generated from workers.pipeline.PIPELINE.

Everything that knows about Kafka, faust, offsets, headers and metrics lives here and in workers/broker/;
the stages themselves stay pure (see workers/pipeline.py).
"""
