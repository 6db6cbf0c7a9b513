# syntax=docker/dockerfile:1
#
# One image for every process: the API (default CMD), the one-shot migration
# job (`voiceagents migrate && voiceagents tools sync`) and the LiveKit worker
# (`voiceagents worker start`). See docker-compose.yml for how each is run.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: resolve the pinned dependencies and install the package into a venv
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src

# Dependencies first, from pyproject.toml alone, so that a change to the
# application code does not reinstall every dependency.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt

# Then the project itself: a regular (non-editable) install without dev extras.
COPY . .
RUN pip install . \
 && pip check

# --- runtime: the venv only, no sources, no build tools, not root
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app
# The embedded default (no DATABASE_URL) writes its SQLite file under ./var.
RUN mkdir -p /app/var && chown app:app /app/var

COPY --from=build /opt/venv /opt/venv

USER 10001:10001

EXPOSE 8000

# Liveness of the API process. Slim images have no curl: use python's urllib.
# docker-compose.yml overrides this for the worker (port 8081) and disables it
# for the migration job.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["voiceagents", "serve", "--host", "0.0.0.0", "--port", "8000"]
