# syntax=docker/dockerfile:1
# One image for the four subgraphs (identity, makrcave, store, events); which
# one a container runs is its compose `command`, e.g. `command: ["identity"]`.
#
#   docker build -t makrx .

ARG RUST_VERSION=1.95.0
ARG DEBIAN_RELEASE=trixie

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS build
ARG RUST_VERSION
# Use the image's toolchain as it is: without this, rust-toolchain.toml would
# make rustup fetch the wasm32 target, clippy and rustfmt, which a server
# build never uses.
ENV RUSTUP_TOOLCHAIN=${RUST_VERSION} \
    CARGO_TERM_COLOR=never \
    SQLX_OFFLINE=true
WORKDIR /src
COPY . .
# The cache mounts keep the crate registry and compiled dependencies between
# builds; the binaries are copied out because the target cache is not part of
# the image. -p names the subgraphs: `--bins` alone would build only the root
# package's `makrx` command.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bins \
        -p identity -p makrcave -p store -p events \
 && mkdir -p /out \
 && cp target/release/identity target/release/makrcave \
       target/release/store target/release/events /out/

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# ca-certificates: TLS to the issuer, SMTP, Stripe and S3; curl: the compose
# health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin makrx
COPY --from=build /out/ /usr/local/bin/
USER makrx
ENV LISTEN_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
EXPOSE 8080
# No ENTRYPOINT: compose picks the binary. Run alone, the image serves identity.
CMD ["identity"]
