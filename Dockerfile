# One image for every role: `nianbao serve` (api), `nianbao worker`, `nianbao migrate`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    NIANBAO_DATA_DIR=/data

# OpenCV (headless) and onnxruntime need these shared libraries at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libglib2.0-0 libgomp1 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY extractors ./extractors
COPY worker ./worker
COPY samples ./samples
RUN pip install '.[service]'

RUN useradd --create-home --uid 10001 nianbao && mkdir -p /data && chown nianbao /data
USER nianbao
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["nianbao", "serve", "--host", "0.0.0.0", "--port", "8000"]
