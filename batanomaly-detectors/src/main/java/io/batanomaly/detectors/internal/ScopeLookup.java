package io.batanomaly.detectors.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.util.Map;

/**
 * Finds a tenant's or service's scope by name, for verification (which starts from an anomaly,
 * not from an event), and estimates "now" in event time.
 *
 * <p>Look-ups walk the tracked tenants; they run once per verification, never per event.
 */
public final class ScopeLookup {
  private ScopeLookup() {}

  /**
   * Finds a tenant's scope.
   *
   * @param context the detector context
   * @param tenant the tenant
   * @return the scope, or {@code null} if the engine does not track the tenant (any more)
   */
  public static TenantScope tenant(DetectorContext context, String tenant) {
    TenantScope[] found = new TenantScope[1];
    context.forEachTenant(t -> {
      if (t.tenant().equals(tenant)) {
        found[0] = t;
      }
    });
    return found[0];
  }

  /**
   * Finds a service's scope.
   *
   * @param context the detector context
   * @param tenant the tenant
   * @param service the service
   * @return the scope, or {@code null} if the engine does not track the service (any more)
   */
  public static ServiceScope service(DetectorContext context, String tenant, String service) {
    TenantScope t = tenant(context, tenant);
    if (t == null || service == null) {
      return null;
    }
    ServiceScope[] found = new ServiceScope[1];
    t.forEachService(s -> {
      if (s.service().equals(service)) {
        found[0] = s;
      }
    });
    return found[0];
  }

  /**
   * Returns the service an anomaly is about: its service, or its subject if it names none.
   *
   * @param anomaly the anomaly
   * @return the service
   */
  public static String serviceOf(Anomaly anomaly) {
    return anomaly.service() != null ? anomaly.service() : anomaly.subject();
  }

  /** Judges a service-scoped anomaly against the service's live state. */
  @FunctionalInterface
  public interface ServiceJudge {
    /**
     * Judges the service.
     *
     * @param scope the service, still tracked
     * @param service its name
     * @param eventTimeNow the tenant's current event time, by {@link #eventTimeNow}
     * @return the verdict
     */
    Reevaluation judge(ServiceScope scope, String service, long eventTimeNow);
  }

  /**
   * Re-evaluates an anomaly about a service: cleared if the engine no longer tracks the
   * service (nothing of it is left in any window), otherwise judged at the tenant's current
   * event time.
   *
   * @param context the detector context
   * @param anomaly the anomaly
   * @param nowMillis the engine clock
   * @param judge judges the service when it is still tracked
   * @return the verdict
   */
  public static Reevaluation reevaluateService(
      DetectorContext context, Anomaly anomaly, long nowMillis, ServiceJudge judge) {
    String service = serviceOf(anomaly);
    ServiceScope scope = service(context, anomaly.tenant(), service);
    if (scope == null) {
      return Reevaluation.cleared("service '" + service + "' is no longer tracked",
          Map.of("service", service));
    }
    return judge.judge(scope, service, eventTimeNow(scope.tenantScope(), nowMillis));
  }

  /**
   * Counts the services the engine tracks over all tenants: the keys of a detector that keeps
   * one state per service.
   *
   * @param context the detector context
   * @return the number of services
   */
  public static long serviceCount(DetectorContext context) {
    long[] services = {0};
    context.forEachTenant(t -> t.forEachService(s -> services[0]++));
    return services[0];
  }

  /**
   * Estimates the current event time of a tenant: its newest event time, moved on by the
   * engine-clock time since the tenant was last heard. Windows over event time use it to
   * answer "does the condition hold now" when no event has arrived for a while: two quiet
   * hours after an incident, its events have left every window.
   *
   * @param tenant the tenant
   * @param nowMillis the engine clock
   * @return the estimated event time now
   */
  public static long eventTimeNow(TenantScope tenant, long nowMillis) {
    long newest = tenant.maxEventTime();
    long heard = lastHeard(tenant);
    if (newest == Long.MIN_VALUE || heard == Long.MIN_VALUE) {
      return nowMillis;
    }
    return newest + Math.max(0, nowMillis - heard);
  }

  /**
   * Returns when, by the engine clock, any service of a tenant was last heard.
   *
   * @param tenant the tenant
   * @return epoch milliseconds, or {@link Long#MIN_VALUE} if it has no service
   */
  public static long lastHeard(TenantScope tenant) {
    long[] last = {Long.MIN_VALUE};
    tenant.forEachService(s -> last[0] = Math.max(last[0], s.lastSeenMillis()));
    return last[0];
  }
}
