# syntax=docker/dockerfile:1
#
# lockreview: the GitHub App server (`lockreview serve`) and the CLI, as one
# static binary on distroless. Build:
#
#   docker build -t lockreview:dev --build-arg VERSION=$(git describe --always) .
#
# The image runs as the distroless "nonroot" user (65532), writes nothing
# outside LOCKREVIEW_DATA_DIR (optional; mount a volume there), and so runs
# with a read-only root filesystem.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
# go.mod pins go 1.26.x; let the toolchain fetch the exact patch release if
# the image's is older.
ENV GOTOOLCHAIN=auto CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# Only the packages that build the binary: testdata/ stays out of the
# build context's layers.
COPY cmd ./cmd
COPY pkg ./pkg
COPY webhook ./webhook
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/lockreview ./cmd/lockreview
# An empty data directory owned by the runtime user: a named volume mounted
# there starts with this ownership (distroless has no shell to mkdir/chown).
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lockreview /usr/local/bin/lockreview
COPY --from=build --chown=65532:65532 /out/data /var/lib/lockreview
USER 65532:65532
ENV LOCKREVIEW_LISTEN=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/lockreview"]
CMD ["serve"]
