# The newsflow worker image: `docker run newsflow worker [--stages clean|enrich]` (see docker-compose.yml).

# The wheel is built where a C compiler is, so that it carries the C module of the text path's hot loops
# (workers/stages/common/_speedups.c); the runtime image stays without a compiler.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY workers ./workers
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && python -m zipfile -l /wheels/newsflow-*.whl | grep -q _speedups

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSFLOW_STREAM_DATA_DIR=/tmp/newsflow-faust \
    NEWSFLOW_METRICS_PORT=9108

WORKDIR /app
# Only the package: the build context's tests, benchmarks and virtualenvs stay out of the image. Its dependencies
# come at the versions pinned in constraints.txt (the ones the tests ran against), so a rebuild installs the same
# image; no extra is installed: the embedded test broker of the `dev` extra has no use in production.
COPY --from=build /wheels /wheels
COPY constraints.txt /tmp/constraints.txt
RUN pip install --constraint /tmp/constraints.txt /wheels/newsflow-*.whl \
    && rm -rf /wheels /tmp/constraints.txt && useradd --system --uid 10001 newsflow

USER newsflow
# /metrics, /healthz (live) and /readyz (ready) of workers.streaming.metrics
EXPOSE 9108
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=3)"]
# SIGTERM drains: the in-flight batch is finished and committed, then the worker leaves its group.
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsflow"]
CMD ["worker"]
