# syntax=docker/dockerfile:1
# The one image of the app: web (Reflex UI + API), Celery worker and beat, and migrations.

# Reflex builds its frontend with bun; bun comes from the npm registry and only its binary is kept.
FROM node:22-bookworm-slim AS bun
RUN npm install --global bun@1.4.4

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_SYSTEM_BUN=1

# Pango for WeasyPrint's PDFs, and fonts for any script: Noto (Latin, Greek, Cyrillic, Arabic,
# Hebrew), Noto CJK (Chinese, Japanese, Korean), DejaVu as the last resort.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY --from=bun /usr/local/lib/node_modules/bun/bin/bun.exe /usr/local/bin/bun

RUN groupadd --gid 10001 app \
    && useradd --create-home --uid 10001 --gid app app \
    && install --directory --owner=app --group=app /app /app/var
WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=10001:10001 . .
USER 10001:10001
# Compile the app and install the frontend's packages now, so a container starts without them.
RUN reflex export --frontend-only --no-zip

EXPOSE 8000
CMD ["reflex", "run", "--env", "prod", "--single-port", "--backend-port", "8000"]
