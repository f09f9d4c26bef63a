package io.batanomaly.kafka;

import io.batanomaly.AuditEvent;

/**
 * How the topology partitions the events a group of detectors sees. Each keying is one
 * sub-topology: the source stream is re-keyed and repartitioned by it, and every task of the
 * sub-topology runs an engine with only the detectors of that keying. A detector must see every
 * event its rule needs, so its keying must be no finer than its rule's key; the finer the keying,
 * the further one large tenant spreads over instances.
 *
 * <p>Keys are the fields joined with the unit separator {@code U+001F}, which no sensible
 * tenant, service or identifier contains, so {@code ("a-b","c")} and {@code ("a","b-c")} never
 * share a key.
 */
public enum Keying {

  /**
   * Tenant and service: volume spike, error rate, mass delete and silent service, which judge
   * one service at a time. Every event with a service reaches this keying.
   */
  SERVICE,

  /**
   * Tenant and identifier: brute force, which counts one identifier's failures across all of a
   * tenant's services. Only events with an identifier reach this keying.
   */
  IDENTIFIER,

  /**
   * Tenant, policy module and policy function: high failure rate, zombie version and performance
   * degradation, which compare the versions of one policy function. Only policy evaluations and
   * version activations reach this keying.
   */
  POLICY,

  /**
   * Tenant alone: a detector whose rule spans a whole tenant. One tenant's events all go to one
   * task, so one tenant cannot use more than one stream thread for these detectors. The keying
   * of a discovered detector that declares none.
   */
  TENANT;

  static final char SEPARATOR = '\u001f';

  /**
   * Tells whether an event is one this keying's detectors need.
   *
   * @param event the event
   * @return {@code true} if the event goes to this keying's sub-topology
   */
  public boolean accepts(AuditEvent event) {
    return switch (this) {
      case SERVICE, TENANT -> true;
      case IDENTIFIER -> event.identifier() != null;
      case POLICY -> event.policyModule() != null && event.policyFunction() != null;
    };
  }

  /**
   * Returns the partitioning key of an event under this keying.
   *
   * @param event the event
   * @return the key; absent fields count as empty
   */
  public String key(AuditEvent event) {
    String tenant = nonNull(event.tenant());
    return switch (this) {
      case SERVICE -> tenant + SEPARATOR + nonNull(event.service());
      case IDENTIFIER -> tenant + SEPARATOR + nonNull(event.identifier());
      case POLICY -> tenant + SEPARATOR + nonNull(event.policyModule()) + SEPARATOR
          + nonNull(event.policyFunction());
      case TENANT -> tenant;
    };
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
