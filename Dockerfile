# syntax=docker/dockerfile:1
# Sijill API image (docs/operations.md). Build: docker build -t sijill .
# Migrate (a separate, one-off command; the server never migrates at start):
#   docker run --rm -e DATABASE_URL=postgres://… sijill sijill migrate
# Serve:
#   docker run -p 8000:8000 -e DATABASE_URL=postgres://… \
#     -e SIJILL_JWT_PUBLIC_KEY_FILE=/keys/issuer.pem -v /etc/sijill/keys:/keys:ro sijill
#
# BASE is any image with CPython 3.11 or newer as `python3` and its `venv` module: the official
# slim image by default; CI builds on a Debian root filesystem made by mmdebstrap (.ci/image).
ARG BASE=python:3.11-slim

# --- build: wheels of Sijill and of every dependency (the otel extra included) --------------
# The optional build secret `pip-ca` is a CA bundle for reaching the package index through a
# TLS-inspecting proxy (`--secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt`); it is
# mounted for the steps that download and stays in no layer.
FROM ${BASE} AS build
WORKDIR /src
RUN --mount=type=secret,id=pip-ca \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && python3 -m venv /opt/build && /opt/build/bin/pip install --no-cache-dir --upgrade pip
COPY pyproject.toml README.md ./
COPY api ./api
RUN --mount=type=secret,id=pip-ca \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && /opt/build/bin/pip wheel --no-cache-dir --wheel-dir /wheels ".[otel]"

# --- runtime: a virtualenv installed from those wheels only, run by an unprivileged user -----
FROM ${BASE} AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /srv/sijill --no-create-home sijill \
 && python3 -m venv /opt/sijill
# the wheels are mounted for this step only: they do not stay in a layer, nor does pip
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    /opt/sijill/bin/pip install --no-cache-dir --no-index --find-links /wheels "sijill[otel]" \
 && /opt/sijill/bin/pip uninstall --yes pip setuptools \
 && rm -rf /opt/sijill/lib/python3*/site-packages/node_modules  # shipped by pycasbin's wheel
COPY migrations /srv/sijill/migrations
WORKDIR /srv/sijill
ENV PATH=/opt/sijill/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SIJILL_ENV=production \
    SIJILL_LOG_FORMAT=json \
    SIJILL_WORKERS=4 \
    SIJILL_MIGRATIONS=/srv/sijill/migrations \
    PROMETHEUS_MULTIPROC_DIR=/tmp/sijill-metrics
USER sijill:sijill
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["sijill", "run", "--host", "0.0.0.0", "--port", "8000"]
