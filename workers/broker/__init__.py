"""Transport layer: everything that talks to Kafka lives under this package and workers.streaming/tools."""
