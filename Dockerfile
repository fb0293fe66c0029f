# syntax=docker/dockerfile:1
# The rampart CLI in a small image: built with the pinned toolchain, run as
# an unprivileged user on a slim Debian base. Also the image of the GitHub
# Action (action.yml) and of the pre-commit hook (.pre-commit-hooks.yaml).
#
#   docker build -t rampart .
#   docker run --rm -v "$PWD:/src" rampart scan . --format sarif --output rampart.sarif

# rampart:ignore DF-003 tags keep this file readable; release builds pin digests with --build-arg
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /build
RUN rustup target add wasm32-wasip2
COPY . .
RUN cargo build --release --locked -p rampart \
 && cp target/release/rampart /usr/local/bin/rampart

# rampart:ignore DF-003 tags keep this file readable; release builds pin digests with --build-arg
FROM debian:bookworm-slim
# rampart:ignore DF-037 ca-certificates follows Debian's point releases: a pin would freeze the trust roots
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/rampart /usr/local/bin/rampart
RUN useradd --system --uid 10001 --home-dir /home/rampart --create-home rampart
USER 10001
WORKDIR /src
ENV RAMPART_CACHE_DIR=/home/rampart/.cache/rampart
# rampart:ignore DF-013 a command-line tool, not a service: there is nothing to probe
HEALTHCHECK NONE
ENTRYPOINT ["rampart"]
CMD ["--help"]
