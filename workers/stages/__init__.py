"""Pure pipeline stages: values in, values out; no clock, no environment, no network, no Kafka."""
