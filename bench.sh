#!/usr/bin/env bash
# Load benchmark: simulated cameras through the real services (separate processes) and a private NATS.
#   ./bench.sh                                   # 1, 4, 8, 16 cameras at 1280x720, 30 fps, into NATS
#   ./bench.sh --cameras 16 --viewers 1,4,10     # plus dashboard viewers (one of them slow)
#   ./bench.sh --cameras 16 --record             # plus every camera recording
#   ./bench.sh --codec h264                      # the simulated cameras send H.264 instead of JPEG
#   ./bench.sh --edge --codec h264               # cameras as camera-client processes, every camera recorded
#   ./bench.sh --bridge mjpeg|rtsp               # the same with real ffmpeg MJPEG / GStreamer RTSP cameras bridged
#   ./bench.sh … --no-build                      # (anywhere) without building first
# CCTV_BENCH_JAVA_OPTS sets the load generator's JVM options (default -Xmx2g).
# Results: Markdown tables on stdout and in .run/bench-*/report.md; docs/benchmarks.md has measured runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
build=1
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then
    build=0
  else
    args+=("$arg")
  fi
done
if [ "$build" = 1 ]; then
  # benchmark's dependencies include camera-client: its jar is what --edge and --bridge run
  ./mvnw -B -q -DskipTests package -pl benchmark,ingest-service,recorder-service,dashboard-service -am
fi
exec java ${CCTV_BENCH_JAVA_OPTS:--Xmx2g} -cp "benchmark/target/classes:$(cat benchmark/target/classpath.txt)" \
  io.github.cctv.bench.Benchmark ${args[@]+"${args[@]}"}
