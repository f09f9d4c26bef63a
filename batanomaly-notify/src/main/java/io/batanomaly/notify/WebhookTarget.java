package io.batanomaly.notify;

import java.net.URI;
import java.util.Objects;

/**
 * A webhook receiver: where deliveries go, whose notifications it receives and the secret that
 * signs them.
 *
 * @param id a stable id; deliveries waiting in the outbox refer to it
 * @param audience one tenant or every tenant
 * @param url an absolute http or https URL
 * @param secret the signing secret, {@code whsec_} and the base64 of 24 to 64 bytes
 */
public record WebhookTarget(String id, Audience audience, URI url, String secret) {

  /**
   * Checks the target.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the id is blank, the URL is not an absolute http or
   *     https URL or the secret is not written as Standard Webhooks says
   */
  public WebhookTarget {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a webhook target id must not be blank, but was '"
          + id + "'");
    }
    if (!HttpNotifier.isHttpUrl(url)) {
      throw new IllegalArgumentException(
          "a webhook target must be an absolute http or https URL, but was '" + url + "'");
    }
    String problem = WebhookSignature.problem(secret);
    if (problem != null) {
      throw new IllegalArgumentException("the secret of webhook target " + id + " " + problem
          + ", but was '" + WebhookSignature.masked(secret) + "'");
    }
  }

  /** Shows the target without its secret. */
  @Override
  public String toString() {
    return "WebhookTarget[id=" + id + ", audience=" + audience + ", url=" + url
        + ", secret=****]";
  }
}
