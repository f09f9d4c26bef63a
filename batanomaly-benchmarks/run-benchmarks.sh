#!/usr/bin/env bash
# Builds the benchmarks and runs the headline set with the allocation (-prof gc) and CPU-time
# profilers, writing JMH's JSON results. Usage, from the repository root:
#   batanomaly-benchmarks/run-benchmarks.sh [results.json] [extra JMH options...]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-batanomaly-benchmarks/target/results.json}"
shift || true
mvn -B -q -DskipTests package -pl batanomaly-benchmarks -am
java -jar batanomaly-benchmarks/target/benchmarks.jar \
  'BaselineBenchmark|IngestBenchmark|WindowBenchmark' -p detectors=none \
  -prof gc -prof io.batanomaly.benchmarks.CpuTimeProfiler \
  -rf json -rff "$out" "$@"
echo "JSON results: $out"
