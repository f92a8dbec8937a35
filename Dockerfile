# Viva on its embedded defaults: bundled tiny.en Whisper model, offline interviewer and scorer, SQLite;
# accounts mode (sign up at /login.html?signup=1).
# The room's code editor (CodeMirror, pinned by package-lock.json) is bundled in a Node.js stage.
FROM node:20-slim AS editor
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/editor ./editor
RUN npm run build

FROM python:3.11-slim

# Bound to every interface inside the container, so accounts (sign-up and login) are on: local mode is
# refused on a non-loopback address. Behind a domain, add it: VIVA_ALLOWED_HOSTS=viva.example.com.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIVA_HOST=0.0.0.0 VIVA_PORT=8000 VIVA_DATA_DIR=/data VIVA_AUTH=accounts

# bubblewrap runs candidate code and SQL in a sandbox; nodejs runs JavaScript answers (app/runner). The
# sandbox needs user namespaces: run the container with a seccomp profile that allows them (compose.yaml).
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap nodejs \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/viva
COPY pyproject.toml README.md ./
COPY app ./app
COPY rubrics ./rubrics
COPY prompts ./prompts
COPY frontend ./frontend
COPY --from=editor /src/frontend/dist ./frontend/dist
RUN pip install --no-cache-dir '.[postgres,voice]' \
    && pip install --no-cache-dir --no-deps 'pipecat-ai==1.14.0' \
    && useradd --create-home --uid 1000 viva && mkdir -p /data && chown viva /data

# rubrics/, prompts/ and frontend/ are read from the working directory
ENV VIVA_RUBRICS_DIR=/srv/viva/rubrics VIVA_PROMPTS_DIR=/srv/viva/prompts VIVA_FRONTEND_DIR=/srv/viva/frontend
USER viva
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health')"
CMD ["viva", "serve"]
