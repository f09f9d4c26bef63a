package io.batanomaly.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that divides each iteration's operations by the CPU time the benchmark JVM
 * used, so a figure stays meaningful on a machine shared with other work: wall-clock
 * throughput drops when another process takes the core, operations per CPU-second do not
 * (shared caches still make them move a little).
 *
 * <p>Reports {@code cpu.ops.per.cpu.s} (operations per CPU-second of the whole JVM, including
 * JIT and GC threads, which are idle in steady state) and {@code cpu.busy} (CPU-seconds per
 * wall-second: 1.0 means one core was fully used).
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar IngestBenchmark \
 *     -prof io.batanomaly.benchmarks.CpuTimeProfiler
 * </pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "operations per CPU-second of the benchmark JVM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuStart = os.getProcessCpuTime();
    wallStart = System.nanoTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    // already multiplied by @OperationsPerInvocation
    long ops = result.getMetadata().getMeasuredOps();
    double perCpuSecond = cpu <= 0 ? Double.NaN : ops / (cpu / 1e9);
    return List.of(
        new ScalarResult("cpu.ops.per.cpu.s", perCpuSecond, "ops/cpu-s", AggregationPolicy.AVG),
        new ScalarResult("cpu.busy", wall <= 0 ? Double.NaN : (double) cpu / wall, "cores",
            AggregationPolicy.AVG));
  }
}
