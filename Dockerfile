# syntax=docker/dockerfile:1
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python3 -m venv /opt/keypoint \
 && /opt/keypoint/bin/pip install --no-cache-dir .

FROM ${BASE_IMAGE}
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin keypoint \
 && mkdir -p /data && chown keypoint /data
COPY --from=build /opt/keypoint /opt/keypoint
COPY config/keypoint.toml /etc/keypoint/keypoint.toml
ENV PATH=/opt/keypoint/bin:$PATH \
    KEYPOINT_CONFIG=/etc/keypoint/keypoint.toml \
    KEYPOINT_DB_PATH=/data/keypoint.sqlite3 \
    KEYPOINT_HEARTBEAT_PATH=/data/heartbeat \
    PYTHONUNBUFFERED=1
USER keypoint
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["keypoint", "health"]
ENTRYPOINT ["keypoint"]
CMD ["run"]
