# syntax=docker/dockerfile:1
# Keypoint: a self-hosted Telegram summary bot.
#   docker build -t keypoint .
#   docker build --build-arg BASE_IMAGE=registry.example/python:3.12-slim -t keypoint .
# The base only needs `python3` with the venv module; the virtual environment
# is made with whatever python3 the base has, wherever it keeps it.
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY requirements.lock ./
COPY pyproject.toml README.md ./
COPY bot ./bot
# Exactly the locked versions, hash-checked (the same lock CI tests with);
# --no-deps because the lock is complete, so no resolver runs and the base's pip
# version does not matter. The project itself is built with the locked setuptools.
# An optional CA bundle for networks that re-sign TLS (build secret "ca"):
# used for this step only, it never lands in a layer.
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
 && python3 -m venv /opt/keypoint \
 && /opt/keypoint/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes \
      -r requirements.lock \
 && /opt/keypoint/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps --no-build-isolation . \
 && { /opt/keypoint/bin/pip uninstall -y pip setuptools wheel >/dev/null 2>&1 || true; } \
 && find /opt/keypoint -name '__pycache__' -prune -exec rm -rf {} + \
 && /opt/keypoint/bin/python -m compileall -q /opt/keypoint/lib >/dev/null

FROM ${BASE_IMAGE}
RUN (useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin keypoint \
     || adduser -S -u 10001 -h /data keypoint) \
 && mkdir -p /data && chown keypoint /data
COPY --from=build /opt/keypoint /opt/keypoint
COPY config/keypoint.toml /etc/keypoint/keypoint.toml
ENV PATH=/opt/keypoint/bin:$PATH \
    KEYPOINT_CONFIG=/etc/keypoint/keypoint.toml \
    KEYPOINT_DB_PATH=/data/keypoint.sqlite3 \
    KEYPOINT_HEARTBEAT_PATH=/data/heartbeat \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER keypoint
WORKDIR /data
VOLUME ["/data"]
# Healthy means the running bot refreshed its heartbeat recently, not just
# that a process exists.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["keypoint", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["keypoint"]
CMD ["run"]
