package io.batanomaly.examples.server;

import io.batanomaly.api.http.ApiPrincipal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The example server's identity: a fixed table of bearer tokens, each naming a principal, the
 * tenants it may act for and its roles. A real host would validate a JWT or ask its identity
 * provider instead; the anomaly handler only needs the resulting {@link ApiPrincipal}.
 *
 * <p>The table is written as comma-separated entries {@code token=name:tenants:roles}, tenants and
 * roles separated by {@code |}, {@code *} for every tenant:
 *
 * <pre>
 * demo-admin-token=demo-admin:acme-corp|globex|initech:ADMIN,demo-viewer-token=demo-viewer:acme-corp:VIEWER
 * </pre>
 */
public final class BearerTokens {

  /** The table used when {@code BATANOMALY_TOKENS} is not set. */
  public static final String DEMO_TABLE =
      "demo-admin-token=demo-admin:acme-corp|globex|initech:ADMIN,"
          + "demo-acme-token=acme-admin:acme-corp:ADMIN,"
          + "demo-viewer-token=demo-viewer:acme-corp|globex|initech:VIEWER";

  private final Map<String, ApiPrincipal> byToken;

  private BearerTokens(Map<String, ApiPrincipal> byToken) {
    this.byToken = Map.copyOf(byToken);
  }

  /**
   * Parses a token table.
   *
   * @param table the table, as described on the class
   * @return the tokens
   * @throws IllegalArgumentException if an entry is malformed; the message quotes it
   */
  public static BearerTokens parse(String table) {
    Map<String, ApiPrincipal> byToken = new LinkedHashMap<>();
    for (String raw : table.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String[] parts = eq < 0 ? new String[0] : entry.substring(eq + 1).split(":", -1);
      if (eq <= 0 || parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("BATANOMALY_TOKENS entries must look like"
            + " token=name:tenant|tenant:ROLE|ROLE, but one was '" + entry + "'");
      }
      String token = entry.substring(0, eq).trim();
      ApiPrincipal principal = ApiPrincipal.of(parts[0].trim(), split(parts[1]), split(parts[2]));
      if (byToken.put(token, principal) != null) {
        throw new IllegalArgumentException(
            "BATANOMALY_TOKENS lists token '" + token + "' twice");
      }
    }
    return new BearerTokens(byToken);
  }

  private static Set<String> split(String list) {
    Set<String> values = new LinkedHashSet<>();
    for (String v : list.split("\\|")) {
      if (!v.isBlank()) {
        values.add(v.trim());
      }
    }
    return values;
  }

  /**
   * Authenticates the {@code Authorization} header values of a request.
   *
   * @param authorization the header's values, possibly empty
   * @return the principal of a single {@code Bearer} header with a known token, or {@code null}
   *     (the handler then answers 401)
   */
  public ApiPrincipal authenticate(List<String> authorization) {
    if (authorization == null || authorization.size() != 1) {
      return null;
    }
    String value = authorization.get(0).trim();
    if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    return byToken.get(value.substring(7).trim());
  }

  /** @return the tokens and their principals */
  public Map<String, ApiPrincipal> principals() {
    return byToken;
  }
}
