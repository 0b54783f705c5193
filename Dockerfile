# Sijill API image. Build: docker build -t sijill .
# Migrate: docker run --rm -e DATABASE_URL=postgres://… sijill sijill migrate
# Serve:   docker run -p 8000:8000 -e DATABASE_URL=postgres://… -e SIJILL_ENV=production \
#            -e SIJILL_JWT_PUBLIC_KEY_FILE=/keys/issuer.pem -v /etc/sijill/keys:/keys:ro sijill
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/sijill
COPY pyproject.toml README.md ./
COPY api ./api
RUN /opt/sijill/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/sijill/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /srv/sijill sijill
COPY --from=build /opt/sijill /opt/sijill
COPY migrations /srv/sijill/migrations
WORKDIR /srv/sijill
ENV PATH=/opt/sijill/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SIJILL_MIGRATIONS=/srv/sijill/migrations
USER sijill
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["sijill", "run", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
