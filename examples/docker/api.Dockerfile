# syntax=docker/dockerfile:1.7
# The API image: a multi-stage build with a few habits worth fixing.
ARG GO_VERSION=1.23

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y ca-certificates curl \
    && curl -fsSL https://deb.example.com/setup.sh | bash
ENV API_TOKEN=changeme \
    LOG_LEVEL=info
COPY --from=build /out/api /usr/local/bin/api
EXPOSE 8080 22
ENTRYPOINT ["/usr/local/bin/api"]
