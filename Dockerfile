# syntax=docker/dockerfile:1
# Sijill API image (docs/operations.md). Build: docker build -t sijill .
# Migrate (a separate, one-off command; the server never migrates at start):
#   docker run --rm -e DATABASE_URL=postgres://… sijill sijill migrate
# Serve:
#   docker run -p 8000:8000 -e DATABASE_URL=postgres://… \
#     -e SIJILL_JWT_PUBLIC_KEY_FILE=/keys/issuer.pem -v /etc/sijill/keys:/keys:ro sijill

# --- build: wheels of Sijill and of every dependency (the otel extra included) --------------
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip
COPY pyproject.toml README.md ./
COPY api ./api
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[otel]"

# --- runtime: a virtualenv installed from those wheels only, run by an unprivileged user -----
FROM python:3.11-slim AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /srv/sijill --no-create-home sijill \
 && python -m venv /opt/sijill
# the wheels are mounted for this step only: they do not stay in a layer
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    /opt/sijill/bin/pip install --no-cache-dir --no-index --find-links /wheels "sijill[otel]" \
 && /opt/sijill/bin/pip uninstall --yes pip
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
