#!/usr/bin/env bash
# RealtimeHead's one set-up entry point: installs the native dependencies, builds, and runs.
#
#   ./setup.sh test        install what is missing, build, run every test
#   ./setup.sh deps        only install what is missing
#   ./setup.sh build       install what is missing and build (Release)
#   ./setup.sh serve       install what is missing, build the server and start it on the bundled default avatar:
#                          development auth (every caller accepted), http://0.0.0.0:8080 (RH_URL overrides; the call
#                          page is at /, the kiosk page at /kiosk),
#                          WebRTC media on UDP 50000-50009 published at 127.0.0.1 (RH_PUBLIC_ADDRESS overrides)
#   ./setup.sh publish [DIR]  publish the server (Release) with its native libraries and the Silero VAD model into
#                          DIR (default artifacts/publish); installs no Debian packages (the Dockerfile's build stage
#                          installs its own subset: cmake g++ make libtorch-dev npm)
#
# It is idempotent: when everything is present it only checks (a few dpkg queries) and builds
# incrementally. It needs root only when something must be installed, and then says what.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Release}
# libtorch's OpenMP threads spin while waiting by default; on a small shared machine that burns the cores other
# work needs (a tiny-model frame took 150-700 ms instead of 60-110 ms). Must be set before the process starts.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

# Debian 12 packages the project uses, one line each with why.
APT_PACKAGES=(
  cmake g++ make            # builds the libtorch C ABI shim (src/RealtimeHead.Torch/Native)
  libtorch-dev              # libtorch 1.13 C++ API and libraries (CPU)
  libopenblas0-pthread      # fast BLAS behind libtorch (reference BLAS is 10x slower)
  libopus0                  # Opus audio codec (P/Invoke, libopus.so.0)
  libvpx7                   # VP8 video codec (P/Invoke, libvpx.so.7)
  libsrtp2-1                # SRTP (P/Invoke, libsrtp2.so.1)
  libturbojpeg0 libpng16-16 # JPEG and PNG portraits and frames (P/Invoke)
  espeak-ng libespeak-ng1   # speech for tests and the corpus (CLI and synthesis events)
  sox ffmpeg                # audio tools, mp4 muxing
  chromium                  # headless browser for the end-to-end WebRTC tests
  # C headers: tests compile small C programs to check our struct layouts against them
  libopus-dev libvpx-dev libsrtp2-dev libpng-dev libturbojpeg0-dev libespeak-ng-dev
)

# Files taken from npm packages (npm pack fetches one tarball each; nothing else is installed).
NPM_ASSETS_DIR="$ROOT/artifacts/native"
ORT_PACKAGE=onnxruntime-node@1.30.0        # ships libonnxruntime.so.1 (CPU)
SILERO_PACKAGE=@livekit/agents-plugin-silero@1.9.0  # ships silero_vad.onnx

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

package_names() { printf '%s\n' "${APT_PACKAGES[@]}"; }

missing_packages() {
  local missing=()
  for pkg in $(package_names); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  # npm (web client, ONNX Runtime and Silero fetched from npm): Debian's package, unless a Node.js that brings its own
  # npm (e.g. NodeSource's nodejs) is installed already; Debian's npm would conflict with it.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  echo "${missing[@]:-}"
}

install_dependencies() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is not installed (dotnet not on PATH); install it first"
  dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
  command -v dpkg-query >/dev/null 2>&1 || die "this script expects Debian 12 (dpkg-query not found)"

  local missing
  missing=$(missing_packages)
  if [[ -z "$missing" ]]; then
    log "native dependencies present"
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    die "missing Debian packages: $missing. Run as root, or: sudo apt-get install -y $missing"
  fi
  log "installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || die "apt-get update failed"
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing >/dev/null || die "apt-get install failed for: $missing"
  local still
  still=$(missing_packages)
  [[ -z "$still" ]] || die "still missing after install: $still"
}

install_npm_assets() {
  if [[ -f "$NPM_ASSETS_DIR/libonnxruntime.so.1" && -f "$NPM_ASSETS_DIR/silero_vad.onnx" ]]; then
    log "npm assets present"
    return
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch ONNX Runtime and the Silero VAD model: apt-get install -y npm"
  log "fetching $ORT_PACKAGE and $SILERO_PACKAGE"
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$ORT_PACKAGE" "$SILERO_PACKAGE" >/dev/null 2>&1) || { rm -rf "$work"; die "npm pack failed for $ORT_PACKAGE $SILERO_PACKAGE"; }
  mkdir -p "$NPM_ASSETS_DIR"
  tar -xzf "$work"/onnxruntime-node-*.tgz -C "$work" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  tar -xzf "$work"/livekit-agents-plugin-silero-*.tgz -C "$work" package/dist/silero_vad.onnx
  cp "$work/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$work/package/dist/silero_vad.onnx" "$NPM_ASSETS_DIR/"
  rm -rf "$work"
}

# The browser client (web/, served by the server from web/dist): npm ci when package-lock.json is newer than the last
# install, npm run build when a source is newer than web/dist. Both are skipped when up to date. Without npm the server
# still runs, without its pages (it logs a warning).
build_web() {
  local web="$ROOT/web"
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: the web client is not built (the server starts without / and /kiosk); apt-get install -y npm"
    return
  fi
  if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
    log "installing the web client's packages (npm ci)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in web/"
  fi
  if [[ ! -f "$web/dist/index.html" || -n $(find "$web/src" "$web/scripts" "$web/package-lock.json" -newer "$web/dist/index.html" -print -quit) ]]; then
    log "building the web client (npm run build)"
    (cd "$web" && npm run build --silent) || die "npm run build failed in web/"
  else
    log "web client up to date"
  fi
}

build() {
  build_web
  log "building ($CONFIGURATION)"
  dotnet build "$ROOT/RealtimeHead.sln" -c "$CONFIGURATION" -nologo -v minimal
}

serve() {
  build_web
  log "building the server ($CONFIGURATION)"
  dotnet build "$ROOT/src/RealtimeHead.Server/RealtimeHead.Server.csproj" -c "$CONFIGURATION" -nologo -v quiet
  local bin="$ROOT/src/RealtimeHead.Server/bin/$CONFIGURATION/net10.0"
  # Settings from the environment win over appsettings.json; the content root (appsettings.json) is the build output,
  # relative paths (VAD model, avatar directory) resolve from the repository root.
  export RealtimeHead__Auth__Mode="${RealtimeHead__Auth__Mode:-Development}"
  export RealtimeHead__Http__Urls__0="${RH_URL:-http://0.0.0.0:8080}"
  export RealtimeHead__WebRtc__PublicAddresses__0="${RH_PUBLIC_ADDRESS:-127.0.0.1}"
  export RealtimeHead__Avatars__Directory="${RealtimeHead__Avatars__Directory:-$ROOT/artifacts/avatars}"
  export RealtimeHead__Model__VadModelPath="${RealtimeHead__Model__VadModelPath:-$NPM_ASSETS_DIR/silero_vad.onnx}"
  log "starting on ${RealtimeHead__Http__Urls__0} (auth: ${RealtimeHead__Auth__Mode}; Ctrl+C stops)"
  exec dotnet "$bin/RealtimeHead.Server.dll" --contentRoot "$bin"
}

publish() {
  local out=${1:-$ROOT/artifacts/publish}
  log "publishing the server ($CONFIGURATION) to $out"
  dotnet publish "$ROOT/src/RealtimeHead.Server/RealtimeHead.Server.csproj" -c "$CONFIGURATION" -o "$out" -nologo -v quiet
  # The runtime image and any copied install need the same three native pieces the build output has.
  for file in libRealtimeHeadTorchNative.so libonnxruntime.so.1 RealtimeHead.Server.dll appsettings.json; do
    [[ -f "$out/$file" ]] || die "publish output lacks $file"
  done
  mkdir -p "$out/models"
  cp "$NPM_ASSETS_DIR/silero_vad.onnx" "$out/models/silero_vad.onnx"
}

run_tests() {
  build
  log "running tests"
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  local status=0
  # One test assembly at a time (-m:1): on a 2-core machine, assemblies running side by side starve each other's
  # timing-sensitive tests (browser frame capture, pipeline settling), while one at a time still takes minutes.
  dotnet test "$ROOT/RealtimeHead.sln" -c "$CONFIGURATION" --no-build -nologo -v minimal -m:1 \
    --logger "trx" --results-directory "$results" || status=$?
  summarize_trx "$results"
  # The web client's own unit tests (node --test; the browser behaviour is covered by the Chromium end-to-end tests).
  log "running web client tests"
  (cd "$ROOT/web" && npm test --silent) || status=1
  return $status
}

summarize_trx() {
  # One closing line over every test project: 'N passed, N failed, N skipped'.
  local passed=0 failed=0 skipped=0 line
  shopt -s nullglob
  for trx in "$1"/*.trx; do
    line=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$line")))
    skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$line")))
  done
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
}

case "${1:-}" in
  deps) install_dependencies; install_npm_assets ;;
  build) install_dependencies; install_npm_assets; build ;;
  test) install_dependencies; install_npm_assets; run_tests ;;
  serve) install_dependencies; install_npm_assets; serve ;;
  publish) install_npm_assets; publish "${2:-}" ;;
  *)
    echo "usage: $0 {test|build|deps|serve|publish [DIR]}" >&2
    exit 2
    ;;
esac
