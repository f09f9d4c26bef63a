package io.batanomaly.notify;

import java.util.Objects;

/**
 * A browser's push subscription and whose notifications it receives.
 *
 * @param audience one tenant or every tenant
 * @param subscription the subscription; its endpoint is its id
 */
public record PushTarget(Audience audience, PushSubscription subscription) {

  /**
   * Checks the target.
   *
   * @throws NullPointerException if a field is null
   */
  public PushTarget {
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(subscription, "subscription");
  }
}
