# RealtimeHead live server: a multi-stage image (CPU). The CUDA variant and production settings: docs/deployment.md.
#
#   docker build -t realtimehead .
#   docker run --rm --network host \
#     -e RealtimeHead__Auth__SigningKey="$(openssl rand -base64 48)" \
#     -e RealtimeHead__WebRtc__PublicAddresses__0=203.0.113.10 \
#     -v rh-avatars:/data/avatars -v "$PWD/certs:/certs:ro" realtimehead
#
# --network host: the server binds its WebRTC UDP socket to the published address itself (host candidates, ICE-lite).
# Bridge networking instead: -p 8080:8080 -p 50000-50009:50000-50009/udp -e RealtimeHead__WebRtc__BindAddresses__0=0.0.0.0
# (bind every interface, publish the host's address; docs/deployment.md).
#
# Build-and-test image (every package setup.sh installs, the whole test suite): docker build --target test -t rh-test .
# then docker run --rm rh-test

# ---------------------------------------------------------------------------------------------------------------------
# Build stage: build and publish. Debian 12 (bookworm) like the runtime stage, so the libtorch shim links the same libtorch.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
# The build subset of setup.sh's APT_PACKAGES (the shim: cmake g++ make libtorch-dev), plus npm, which setup.sh uses
# to fetch ONNX Runtime and the Silero VAD model (npm pack).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      cmake g++ make libtorch-dev npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Web client (arrives with the web/ project): built before the server is published so the publish output carries it.
# >>> web client build step: runs only when web/package.json exists <<<
RUN if [ -f web/package.json ]; then cd web && npm ci && npm run build; fi
# setup.sh publish: npm assets (libonnxruntime.so.1, silero_vad.onnx) + dotnet publish; it checks the output holds
# libRealtimeHeadTorchNative.so, libonnxruntime.so.1, RealtimeHead.Server.dll and appsettings.json.
ARG TORCH_CMAKE_PREFIX_PATH=
ENV TORCH_CMAKE_PREFIX_PATH=${TORCH_CMAKE_PREFIX_PATH}
RUN ./setup.sh publish /app

# ---------------------------------------------------------------------------------------------------------------------
# Optional stage (only built with --target test): every package setup.sh installs, then the whole test suite.
FROM build AS test
RUN ./setup.sh deps && ./setup.sh build
CMD ["./setup.sh", "test"]

# ---------------------------------------------------------------------------------------------------------------------
# Runtime stage (the default target): only the shared libraries the server loads (nothing to build, no browser, no test tools).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim AS runtime
# One line each with why (the P/Invoke sonames are in the Native/ files of each project):
#   libtorch1.13          libtorch runtime behind libRealtimeHeadTorchNative.so (S3D-NeRF renderer)
#   libopenblas0-pthread  fast BLAS for libtorch (the reference libblas3 is 10x slower); checked below
#   libopus0 libvpx7      Opus and VP8 codecs (libopus.so.0, libvpx.so.7)
#   libturbojpeg0 libpng16-16  portraits (libturbojpeg.so.0, libpng16.so.16)
#   libespeak-ng1 espeak-ng-data  speech synthesis (libespeak-ng.so.1): not loaded by the server today (only the corpus
#                         tools use it); kept for server-side voices, drop it if none arrive
# Not needed: libsrtp2-1 (SRTP is managed code in RealtimeHead.WebRtc), ffmpeg (only the training tools mux video).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      libtorch1.13 libopenblas0-pthread libopus0 libvpx7 libturbojpeg0 libpng16-16 libespeak-ng1 espeak-ng-data \
 && rm -rf /var/lib/apt/lists/*
# libtorch1.13 accepts any libblas.so.3; the alternatives system must pick OpenBLAS (priority 100 over libblas3's 10).
RUN readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 | grep -q openblas

WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data/avatars /certs && chown app:app /data/avatars

# libtorch's OpenMP threads spin while waiting by default and take the cores the media path needs.
ENV OMP_WAIT_POLICY=PASSIVE \
    ASPNETCORE_HTTP_PORTS= \
    RealtimeHead__Http__Urls__0=http://0.0.0.0:8080 \
    RealtimeHead__Avatars__Directory=/data/avatars \
    RealtimeHead__Model__VadModelPath=/app/models/silero_vad.onnx \
    RealtimeHead__WebRtc__UdpPortRangeStart=50000 \
    RealtimeHead__WebRtc__UdpPortRangeEnd=50009

# HTTP (8080), HTTPS when configured (8443), WebRTC media (one shared UDP port, the first free one in the range).
EXPOSE 8080/tcp 8443/tcp 50000-50009/udp
# Uploaded portraits; certificates are mounted read-only (Http:CertificatePath=/certs/server.pfx).
VOLUME ["/data/avatars", "/certs"]

# The aspnet image's non-root user (uid 1654).
USER app

# The image has no curl: the server binary probes its own /healthz (exit 0 on 200), reading the same configuration.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["dotnet", "/app/RealtimeHead.Server.dll", "--healthcheck"]

ENTRYPOINT ["dotnet", "/app/RealtimeHead.Server.dll"]
