# Capstan container image: build with the Swift toolchain, run on slim Debian.
#   docker build -t capstan .
#   docker run --rm -v "$PWD:/fleet" capstan plan --repo /fleet --base origin/main --head HEAD -o markdown
#   docker run -p 8080:8080 -v capstan-state:/var/lib/capstan capstan run --repo https://git.example.com/fleet.git

# ---- build stage -----------------------------------------------------------------------------
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgit2-dev libyaml-dev libcurl4-openssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
RUN swift build -c release --product capstan --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/capstan" /out/capstan

# ---- runtime stage ---------------------------------------------------------------------------
FROM debian:bookworm-slim
# The three C libraries Capstan links (libgit2, libyaml, libcurl), SQLite for the embedded store,
# CA certificates for HTTPS remotes, tzdata for CEL time zones.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgit2-1.5 libyaml-0-2 libcurl4 libsqlite3-0 libstdc++6 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /var/lib/capstan capstan
COPY --from=build /out/capstan /usr/local/bin/capstan
USER capstan
WORKDIR /var/lib/capstan
ENV CAPSTAN_STATE_DIR=/var/lib/capstan/state
# `capstan run` listens on loopback by default; in a container it must listen on every interface.
ENV CAPSTAN_HTTP_ADDRESS=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["capstan"]
CMD ["--help"]
