package io.batanomaly.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Anomalies page: static HTML, CSS and JavaScript that triage anomalies in a browser over the
 * documented endpoints of {@link AnomalyHttpHandler}, served under a path the host chooses
 * (default {@value #DEFAULT_PATH}, the page at {@code /dashboard/anomalies}). Like the API
 * handler it is independent of any web framework: the host dispatches the paths for which
 * {@link #handles} is true to {@link #handle} and writes the {@link ApiResponse} back.
 *
 * <pre>
 * GET {path}                           302 to the page
 * GET {path}anomalies                  the page (text/html, Cache-Control: no-cache)
 * GET {path}assets/{version}/{file}    app.js, api.js, format.js, app.css, icon.svg
 *                                      (Cache-Control: public, max-age=31536000, immutable)
 * </pre>
 *
 * <p>The assets are read once from the jar. Their version is a hash of their content, so a new
 * release changes every asset URL and a browser never mixes old and new files; an asset asked for
 * under another version is still served, but marked {@code no-cache}. Every answer carries a
 * strong {@code ETag} (a matching {@code If-None-Match} is answered 304), {@code
 * X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and the
 * Content-Security-Policy {@value #CONTENT_SECURITY_POLICY}: the page has no inline script or
 * style and loads nothing from another origin, so it works offline and behind that policy. The
 * page calls the API on the same origin ({@code connect-src} falls back to {@code 'self'}).
 *
 * <p>No request reaches the engine and no principal is needed: the page holds no tenant data.
 * The page signs in by asking for a bearer token (kept in the browser's {@code sessionStorage}
 * and sent as {@code Authorization: Bearer}) and the tenants to switch between; with
 * {@link SignIn#HOST} it asks only for the tenants and relies on the host's own authentication
 * (such as a session cookie) for the API calls.
 *
 * <p>Thread-safe and immutable: one instance serves any number of concurrent requests.
 */
public final class DashboardHandler {

  /** The default path the page is served under. */
  public static final String DEFAULT_PATH = "/dashboard/";

  /** The default interval at which the page polls for new anomalies and verification outcomes. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  /** The Content-Security-Policy sent with every answer. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none';"
      + " form-action 'self'; frame-ancestors 'none'; object-src 'none'";

  /**
   * The anomaly types the page's type filter offers by default: the built-in detectors' types,
   * policy-version types first.
   */
  public static final List<String> BUILT_IN_TYPES = List.of(
      "HIGH_FAILURE_RATE", "ZOMBIE_VERSION", "PERFORMANCE_DEGRADATION", "VOLUME_SPIKE",
      "ERROR_RATE", "BRUTE_FORCE", "MASS_DELETE", "SILENT_SERVICE");

  /** How the page authenticates its calls to the API. */
  public enum SignIn {
    /**
     * The page asks for a bearer token, keeps it in {@code sessionStorage} (gone when the tab
     * closes) and sends it as {@code Authorization: Bearer} with every API call.
     */
    BEARER_TOKEN,
    /**
     * The host authenticates the browser itself, such as with a session cookie; the page sends
     * no {@code Authorization} header and asks only for the tenants.
     */
    HOST
  }

  private static final String PAGE = "anomalies";
  private static final String ASSETS = "assets/";
  private static final String RESOURCES = "/io/batanomaly/api/dashboard/";
  private static final Map<String, String> ASSET_TYPES = assetTypes();
  private static final Pattern PATH = Pattern.compile("/([A-Za-z0-9._~-]+/)*");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final String path;
  private final String apiPath;
  private final Duration pollInterval;
  private final SignIn signIn;
  private final List<String> types;
  private final String version;
  private final Map<String, Resource> assets;
  private final Resource page;

  /** One response body with its headers, built once. */
  private record Resource(byte[] body, String contentType, String etag) {}

  private static Map<String, String> assetTypes() {
    Map<String, String> types = new LinkedHashMap<>();
    types.put("app.js", "text/javascript; charset=utf-8");
    types.put("api.js", "text/javascript; charset=utf-8");
    types.put("format.js", "text/javascript; charset=utf-8");
    types.put("app.css", "text/css; charset=utf-8");
    types.put("icon.svg", "image/svg+xml");
    return types;
  }

  private DashboardHandler(Builder b) {
    this.path = b.path;
    this.apiPath = b.apiPath;
    this.pollInterval = b.pollInterval;
    this.signIn = b.signIn;
    this.types = List.copyOf(b.types);
    Map<String, Resource> loaded = new LinkedHashMap<>();
    MessageDigest all = sha256();
    for (Map.Entry<String, String> asset : ASSET_TYPES.entrySet()) {
      byte[] body = read(asset.getKey());
      all.update(asset.getKey().getBytes(StandardCharsets.UTF_8));
      all.update(body);
      loaded.put(asset.getKey(), new Resource(body, asset.getValue(), etag(body)));
    }
    this.assets = Map.copyOf(loaded);
    this.version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
    byte[] html = render(new String(read("anomalies.html"), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    this.page = new Resource(html, "text/html; charset=utf-8", etag(html));
  }

  /**
   * Creates a handler with every default: path {@value #DEFAULT_PATH}, the API at
   * {@link AnomalyHttpHandler#BASE_PATH}, polling every five seconds, bearer-token sign-in and
   * the built-in types.
   *
   * @return the handler
   */
  public static DashboardHandler create() {
    return builder().build();
  }

  /**
   * Starts a handler with the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the path the page is served under, starting and ending with {@code /} */
  public String path() {
    return path;
  }

  /** @return the path of the page itself, such as {@code /dashboard/anomalies} */
  public String pagePath() {
    return path + PAGE;
  }

  /** @return the version of the assets, a hash of their content that their URLs carry */
  public String assetVersion() {
    return version;
  }

  /**
   * Tells whether a path belongs to this handler, so a host can dispatch on it.
   *
   * @param rawPath the raw request path, without the query string
   * @return {@code true} for {@link #path()}, the same without its last {@code /}, and every
   *     path below it
   */
  public boolean handles(String rawPath) {
    return rawPath != null && (rawPath.startsWith(path)
        || rawPath.equals(path.substring(0, path.length() - 1)));
  }

  /**
   * Answers one request for the page or one of its assets. The principal, body and query are
   * not used. Never throws for anything the request contains.
   *
   * @param request the request
   * @return 200 with the page or asset, 304 when {@code If-None-Match} matches, 302 from
   *     {@link #path()} to the page, 404 for a path it does not know, 405 (with
   *     {@code Allow: GET, HEAD}) for a method other than GET or HEAD
   * @throws NullPointerException if {@code request} is null
   */
  public ApiResponse handle(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean head = method.equals("HEAD");
    String requested = request.path();
    if (!handles(requested)) {
      return text(404, "No page at '" + requested + "'", Map.of());
    }
    if (!head && !method.equals("GET")) {
      return text(405, "Method " + method + " is not allowed on '" + requested
          + "'; use GET", Map.of("Allow", "GET, HEAD"));
    }
    String rest = requested.length() < path.length() ? "" : requested.substring(path.length());
    if (rest.isEmpty()) {
      Map<String, String> headers = securityHeaders();
      headers.put("Location", pagePath());
      headers.put("Cache-Control", "no-cache");
      return new ApiResponse(302, headers, new byte[0], null);
    }
    if (rest.equals(PAGE)) {
      return serve(request, page, "no-cache", head);
    }
    if (rest.startsWith(ASSETS)) {
      String versioned = rest.substring(ASSETS.length());
      int slash = versioned.indexOf('/');
      if (slash > 0) {
        Resource asset = assets.get(versioned.substring(slash + 1));
        if (asset != null) {
          boolean current = versioned.substring(0, slash).equals(version);
          return serve(request, asset, current ? IMMUTABLE : "no-cache", head);
        }
      }
    }
    return text(404, "No page at '" + requested + "'", Map.of());
  }

  private static ApiResponse serve(ApiRequest request, Resource resource, String cacheControl,
      boolean head) {
    Map<String, String> headers = securityHeaders();
    headers.put("Cache-Control", cacheControl);
    headers.put("ETag", resource.etag());
    for (String value : request.headerValues("If-None-Match")) {
      for (String tag : value.split(",")) {
        String t = tag.trim();
        if (t.equals(resource.etag()) || t.equals("W/" + resource.etag()) || t.equals("*")) {
          return new ApiResponse(304, headers, new byte[0], null);
        }
      }
    }
    headers.put("Content-Type", resource.contentType());
    return new ApiResponse(200, headers, head ? new byte[0] : resource.body(), null);
  }

  private static ApiResponse text(int status, String message, Map<String, String> extra) {
    Map<String, String> headers = securityHeaders();
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.putAll(extra);
    return new ApiResponse(status, headers, (message + "\n").getBytes(StandardCharsets.UTF_8),
        null);
  }

  private static Map<String, String> securityHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    return headers;
  }

  private String render(String template) {
    String assetBase = path + ASSETS + version;
    return template
        .replace("{{assets}}", escape(assetBase))
        .replace("{{api}}", escape(apiPath))
        .replace("{{pollMillis}}", Long.toString(pollInterval.toMillis()))
        .replace("{{signIn}}", signIn == SignIn.HOST ? "host" : "bearer")
        .replace("{{types}}", escape(String.join(",", types)))
        .replace("{{page}}", escape(pagePath()));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': sb.append("&amp;"); break;
        case '<': sb.append("&lt;"); break;
        case '>': sb.append("&gt;"); break;
        case '"': sb.append("&quot;"); break;
        case '\'': sb.append("&#39;"); break;
        default: sb.append(c);
      }
    }
    return sb.toString();
  }

  private static byte[] read(String name) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the page's resource " + RESOURCES + name
            + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCES + name, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String etag(byte[] body) {
    MessageDigest d = sha256();
    return "\"" + HexFormat.of().formatHex(d.digest(body)).substring(0, 24) + "\"";
  }

  @Override
  public String toString() {
    return "DashboardHandler[path=" + path + ", api=" + apiPath + ", poll=" + pollInterval
        + ", signIn=" + signIn + "]";
  }

  /** Builds a {@link DashboardHandler}; every setting is checked when it is set. */
  public static final class Builder {
    private String path = DEFAULT_PATH;
    private String apiPath = AnomalyHttpHandler.BASE_PATH;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private SignIn signIn = SignIn.BEARER_TOKEN;
    private final Set<String> types = new LinkedHashSet<>(BUILT_IN_TYPES);

    private Builder() {}

    /**
     * Sets the path the page is served under.
     *
     * @param path a path that starts and ends with {@code /}, such as {@code /ops/dashboard/};
     *     a host under a servlet context path includes it
     * @return this builder
     * @throws IllegalArgumentException if the path is not of that form
     */
    public Builder path(String path) {
      if (path == null || path.length() < 2 || !PATH.matcher(path).matches()
          || path.contains("/../") || path.contains("/./")) {
        throw new IllegalArgumentException("path must start and end with '/' and hold only"
            + " letters, digits and -._~ between them, such as /dashboard/, but was '"
            + path + "'");
      }
      this.path = path;
      return this;
    }

    /**
     * Sets where the page finds the API, when the host mounts it under a prefix.
     *
     * @param apiPath the path of the list endpoint, default
     *     {@link AnomalyHttpHandler#BASE_PATH}
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /} or ends with one
     */
    public Builder apiPath(String apiPath) {
      if (apiPath == null || !apiPath.startsWith("/") || apiPath.endsWith("/")
          || !PATH.matcher(apiPath + "/").matches()) {
        throw new IllegalArgumentException("apiPath must be an absolute path without a trailing"
            + " '/', such as " + AnomalyHttpHandler.BASE_PATH + ", but was '" + apiPath + "'");
      }
      this.apiPath = apiPath;
      return this;
    }

    /**
     * Sets how often the page asks for new anomalies, and for the outcome of a verification.
     *
     * @param interval from 100 ms to one hour
     * @return this builder
     * @throws IllegalArgumentException if it is out of that range
     */
    public Builder pollInterval(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0
          || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "pollInterval must be from 100 ms to 1 h, but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Sets how the page authenticates its calls to the API.
     *
     * @param signIn {@link SignIn#BEARER_TOKEN} (the default) or {@link SignIn#HOST}
     * @return this builder
     * @throws NullPointerException if it is null
     */
    public Builder signIn(SignIn signIn) {
      this.signIn = Objects.requireNonNull(signIn, "signIn");
      return this;
    }

    /**
     * Adds anomaly types to the page's type filter, after the built-in ones, such as those of
     * a third-party detector.
     *
     * @param extra the types, each a letter followed by letters, digits, {@code _}, {@code .}
     *     or {@code -}, at most 64 characters
     * @return this builder
     * @throws IllegalArgumentException if a type is not of that form
     */
    public Builder types(String... extra) {
      List<String> checked = new ArrayList<>();
      for (String type : extra) {
        if (type == null || !TYPE.matcher(type).matches()) {
          throw new IllegalArgumentException("an anomaly type must be a letter, then letters,"
              + " digits, '_', '.' or '-', at most 64, but was '" + type + "'");
        }
        checked.add(type.toUpperCase(Locale.ROOT));
      }
      types.addAll(checked);
      return this;
    }

    /**
     * Builds the handler, reading the page's resources from the jar.
     *
     * @return the handler
     * @throws IllegalStateException if a resource of the page is missing from the class path
     */
    public DashboardHandler build() {
      return new DashboardHandler(this);
    }
  }
}
