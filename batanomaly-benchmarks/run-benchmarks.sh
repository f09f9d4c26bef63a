#!/usr/bin/env bash
# Builds the benchmarks and runs the headline set (about 10 minutes on 2 cores): the floor, the
# hand-written baseline, ingest with no detector, all five audit detectors and each alone, the
# host path (EventBatch, AuditEvent.of, the builder, against the same baseline and floor on the
# host's records), the three policy detectors, ingest from one and two threads, and the window
# primitives; with allocation (-prof gc), CPU time and batch latency (HdrHistogram) profilers.
# Then measures retained memory.
# Usage, from the repository root:
#   batanomaly-benchmarks/run-benchmarks.sh [results.json] [extra JMH options...]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-batanomaly-benchmarks/target/results.json}"
shift || true
mvn -B -q -DskipTests package -pl batanomaly-benchmarks -am
java -jar batanomaly-benchmarks/target/benchmarks.jar \
  'benchmarks\.(BaselineBenchmark|IngestBenchmark|HostPathBenchmark|ConcurrentIngestBenchmark|WindowBenchmark)\.' \
  -p detectors=none,audit,volume_spike,error_rate,brute_force,mass_delete,silent_service \
  -prof gc -prof io.batanomaly.benchmarks.CpuTimeProfiler \
  -prof io.batanomaly.benchmarks.BatchLatencyProfiler \
  -rf json -rff "$out" "$@"
java -jar batanomaly-benchmarks/target/benchmarks.jar 'benchmarks\.PolicyIngestBenchmark\.' \
  -p detectors=policy -prof gc -prof io.batanomaly.benchmarks.CpuTimeProfiler \
  -rf json -rff "${out%.json}-policy.json" "$@"
echo "JSON results: $out ${out%.json}-policy.json"
java -XX:+UseSerialGC -Xmx1g -cp batanomaly-benchmarks/target/benchmarks.jar \
  io.batanomaly.benchmarks.RetainedMemory
