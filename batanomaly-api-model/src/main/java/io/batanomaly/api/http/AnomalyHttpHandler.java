package io.batanomaly.api.http;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.ErrorBody;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageException;
import io.batanomaly.api.TriageService;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The documented anomaly endpoints over a {@link TriageService}, independent of any web
 * framework. The host turns each request into an {@link ApiRequest} (with the principal it
 * authenticated), calls {@link #handle}, and writes the {@link ApiResponse} back:
 *
 * <pre>
 * GET   /api/v1/audit/anomalies                       list (type, days=7, page=0, size=20)
 * GET   /api/v1/audit/anomalies/{id}                  detail
 * POST  /api/v1/audit/anomalies/{id}/actions/verify   202, empty body
 * PATCH /api/v1/audit/anomalies/{id}/status           200, the updated detail
 * </pre>
 *
 * <p>The same four endpoints answer under {@code /v1/audit/anomalies}, the path the audit-event
 * documentation gives.
 *
 * <p>Checks run in this order, and the first that fails decides the answer: a principal (401,
 * with {@code WWW-Authenticate: Bearer}); a known path (404) and method (405, with
 * {@code Allow}); the ADMIN role (403); a single non-blank {@code X-Tenant-ID} (400); the
 * principal may act for that tenant (403); the parameters and body (400, or 415 for a PATCH body
 * that is not {@code application/json}); then the triage service, whose exceptions map to their
 * {@link TriageException#httpStatus()}: 404 for an id the tenant does not have (another tenant's
 * anomaly looks exactly like a missing one), 409 for a transition the table forbids or an
 * {@code Idempotency-Key} still in flight, 422 for a key reused with a different request. Any
 * other exception is answered 500 with a generic message; the exception is handed back in
 * {@link ApiResponse#failure()} for the host to log and never appears in the body. Every error
 * body is an {@link ErrorBody}.
 *
 * <p>Thread-safe and stateless: one instance serves any number of concurrent requests.
 */
public final class AnomalyHttpHandler {

  /** The documented base path. */
  public static final String BASE_PATH = "/api/v1/audit/anomalies";

  /** The base path of the audit-event documentation, an alias of {@link #BASE_PATH}. */
  public static final String ALIAS_PATH = "/v1/audit/anomalies";

  /** The request header that names the tenant. */
  public static final String TENANT_HEADER = "X-Tenant-ID";

  /** The request header that makes a status update idempotent. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final String JSON = "application/json";
  private static final byte[] FALLBACK_500 =
      ("{\"status\":500,\"error\":\"Internal Server Error\","
              + "\"message\":\"Unexpected engine failure; the server log has the details\"}")
          .getBytes(StandardCharsets.UTF_8);

  private final TriageService triage;
  private final JsonCodec json;

  private enum Route {
    LIST("GET"),
    DETAIL("GET"),
    VERIFY("POST"),
    STATUS("PATCH");

    final String method;

    Route(String method) {
      this.method = method;
    }
  }

  /** A request that must be answered with an error before the service is called. */
  private static final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final Map<String, String> headers;

    Reject(int status, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.headers = headers;
    }

    Reject(int status, String message) {
      this(status, message, Map.of());
    }
  }

  /**
   * Creates a handler.
   *
   * @param triage the triage service, usually {@code engine.anomalies()}
   * @param json the host's JSON codec
   * @throws NullPointerException if either is null
   */
  public AnomalyHttpHandler(TriageService triage, JsonCodec json) {
    this.triage = Objects.requireNonNull(triage, "triage");
    this.json = Objects.requireNonNull(json, "json");
  }

  /**
   * Tells whether a path belongs to this handler, so a host that mounts it next to other
   * routes can dispatch on it.
   *
   * @param path the raw request path
   * @return {@code true} for {@link #BASE_PATH}, {@link #ALIAS_PATH} and every path below them
   */
  public static boolean handles(String path) {
    return basePathOf(path) != null;
  }

  private static String basePathOf(String path) {
    for (String base : List.of(BASE_PATH, ALIAS_PATH)) {
      if (path.equals(base) || path.startsWith(base + "/")) {
        return base;
      }
    }
    return null;
  }

  /**
   * Answers one request. Never throws for anything the request contains; a
   * {@link RuntimeException} from the triage service or the codec becomes a 500 answer.
   *
   * @param request the request
   * @return the response
   * @throws NullPointerException if {@code request} is null
   */
  public ApiResponse handle(ApiRequest request) {
    Objects.requireNonNull(request, "request");
    try {
      return dispatch(request);
    } catch (Reject r) {
      return error(r.status, r.getMessage(), r.headers);
    } catch (TriageException e) {
      return error(e.httpStatus(), e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      return internalError(e);
    }
  }

  private ApiResponse dispatch(ApiRequest request) {
    ApiPrincipal principal = request.principal();
    if (principal == null) {
      throw new Reject(401, "Missing or invalid bearer token",
          Map.of("WWW-Authenticate", "Bearer realm=\"batanomaly\""));
    }
    String base = basePathOf(request.path());
    if (base == null) {
      throw new Reject(404, "No endpoint at '" + request.path() + "'");
    }
    List<String> segments = segments(request.path().substring(base.length()));
    Route route = route(segments, request.path());
    String method = request.method().toUpperCase(Locale.ROOT);
    if (!route.method.equals(method)) {
      throw new Reject(405, "Method " + method + " is not allowed on '" + request.path()
          + "'; use " + route.method, Map.of("Allow", route.method));
    }
    if (!principal.hasRole(ApiPrincipal.ADMIN)) {
      throw new Reject(403, "The ADMIN role is required, but '" + principal.name()
          + "' has " + principal.roles());
    }
    String tenant = tenant(request);
    if (!principal.mayActFor(tenant)) {
      throw new Reject(403, "'" + principal.name() + "' may not act for tenant '" + tenant + "'");
    }
    switch (route) {
      case LIST:
        return ok(200, triage.list(tenant, query(request.query())));
      case DETAIL:
        return ok(200, triage.get(tenant, segments.get(0)));
      case VERIFY:
        triage.verify(tenant, segments.get(0));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", base + "/" + encodeSegment(segments.get(0)));
        headers.put("Cache-Control", "no-store");
        return new ApiResponse(202, headers, new byte[0], null);
      case STATUS:
        StatusUpdateRequest update = statusUpdate(request);
        String key = single(request, IDEMPOTENCY_KEY_HEADER);
        Anomaly updated = triage.updateStatus(tenant, segments.get(0), update, key);
        return ok(200, updated);
      default:
        throw new IllegalStateException("unknown route " + route);
    }
  }

  private static Route route(List<String> segments, String path) {
    if (segments.isEmpty()) {
      return Route.LIST;
    }
    if (segments.get(0).isEmpty()) {
      throw new Reject(404, "No endpoint at '" + path + "'");
    }
    if (segments.size() == 1) {
      return Route.DETAIL;
    }
    if (segments.size() == 2 && segments.get(1).equals("status")) {
      return Route.STATUS;
    }
    if (segments.size() == 3 && segments.get(1).equals("actions")
        && segments.get(2).equals("verify")) {
      return Route.VERIFY;
    }
    throw new Reject(404, "No endpoint at '" + path + "'");
  }

  /** Splits what follows the base path into percent-decoded segments. */
  private static List<String> segments(String rest) {
    List<String> segments = new ArrayList<>();
    if (rest.isEmpty()) {
      return segments;
    }
    // rest starts with '/': "/a/b" gives ["a", "b"], "/" gives [""]
    for (String raw : rest.substring(1).split("/", -1)) {
      segments.add(decodeSegment(raw));
    }
    return segments;
  }

  private static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw new Reject(400, "path segment '" + raw + "' is not valid percent-encoding");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        // a raw path is ASCII, but a host may hand over a decoded one: keep whole code points
        int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
        byte[] b = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Reject(400, "path segment '" + raw + "' is not valid UTF-8 once decoded");
    }
  }

  private static String encodeSegment(String id) {
    StringBuilder sb = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static String tenant(ApiRequest request) {
    String tenant = single(request, TENANT_HEADER);
    if (tenant == null || tenant.isBlank()) {
      throw new Reject(400, TENANT_HEADER + " header is required and must name a tenant, but was "
          + (tenant == null ? "missing" : "'" + tenant + "'"));
    }
    return tenant.trim();
  }

  /** The one value of a header, {@code null} if absent; 400 if it is given more than once. */
  private static String single(ApiRequest request, String name) {
    List<String> values = request.headerValues(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new Reject(400, name + " header must be given once, but was given " + values.size()
          + " times: " + values);
    }
    return values.get(0);
  }

  private static AnomalyQuery query(String rawQuery) {
    Map<String, String> params = parseQuery(rawQuery);
    String type = params.get("type");
    if (type != null && !type.isEmpty() && !TYPE.matcher(type).matches()) {
      throw new Reject(400, "type must be an anomaly type such as HIGH_FAILURE_RATE (a letter,"
          + " then letters, digits, '_', '.' or '-', at most 64), but was '" + type + "'");
    }
    int days = intParam(params, "days", AnomalyQuery.DEFAULT_DAYS);
    int page = intParam(params, "page", AnomalyQuery.DEFAULT_PAGE);
    int size = intParam(params, "size", AnomalyQuery.DEFAULT_SIZE);
    return new AnomalyQuery(type, days, page, size);
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      if (params.putIfAbsent(name, value) != null) {
        throw new Reject(400, "query parameter '" + name + "' must be given once, but was given"
            + " again with '" + value + "'");
      }
    }
    return params;
  }

  private static String decodeQuery(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Reject(400, "query string part '" + raw + "' is not valid percent-encoding");
    }
  }

  private static int intParam(Map<String, String> params, String name, int defaultValue) {
    String text = params.get(name);
    if (text == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new Reject(400, name + " must be an integer, but was '" + text + "'");
    }
  }

  private StatusUpdateRequest statusUpdate(ApiRequest request) {
    String contentType = single(request, "Content-Type");
    if (contentType == null || !isJson(contentType)) {
      throw new Reject(415, "Content-Type must be application/json, but was "
          + (contentType == null ? "missing" : "'" + contentType + "'"));
    }
    if (request.body().length == 0) {
      throw new Reject(400, "request body is required, such as"
          + " {\"status\": \"RESOLVED\", \"note\": \"…\"}, but was empty");
    }
    Object parsed;
    try {
      parsed = json.read(request.body());
    } catch (RuntimeException e) {
      throw new Reject(400, "request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof Map<?, ?> body)) {
      throw new Reject(400, "request body must be a JSON object with \"status\" and an optional"
          + " \"note\", but was " + describe(parsed));
    }
    Object status = body.get("status");
    if (status == null) {
      throw new Reject(400, "status is required: one of OPEN, RESOLVED, DISMISSED");
    }
    if (!(status instanceof String statusText)) {
      throw new Reject(400, "status must be one of OPEN, RESOLVED, DISMISSED, but was "
          + describe(status));
    }
    AnomalyStatus target;
    try {
      target = AnomalyStatus.parse(statusText);
    } catch (IllegalArgumentException e) {
      throw new Reject(400,
          "status must be one of OPEN, RESOLVED, DISMISSED, but was '" + statusText + "'");
    }
    Object note = body.get("note");
    if (note != null && !(note instanceof String)) {
      throw new Reject(400, "note must be a string, but was " + describe(note));
    }
    return new StatusUpdateRequest(target, (String) note);
  }

  private static boolean isJson(String contentType) {
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return media.equalsIgnoreCase(JSON);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "the string '" + s + "'";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return value instanceof Boolean ? "the boolean " + value : "the number " + value;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private ApiResponse ok(int status, Object body) {
    return new ApiResponse(status, jsonHeaders(), json.write(body), null);
  }

  private ApiResponse error(int status, String message, Map<String, String> extraHeaders) {
    Map<String, String> headers = jsonHeaders();
    headers.putAll(extraHeaders);
    byte[] body;
    try {
      body = json.write(new ErrorBody(status, reason(status), message));
    } catch (RuntimeException e) {
      return internalError(e);
    }
    return new ApiResponse(status, headers, body, null);
  }

  private ApiResponse internalError(Throwable failure) {
    byte[] body;
    try {
      body = json.write(new ErrorBody(500, reason(500),
          "Unexpected engine failure; the server log has the details"));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      body = FALLBACK_500.clone();
    }
    return new ApiResponse(500, jsonHeaders(), body, failure);
  }

  private static Map<String, String> jsonHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    headers.put("Cache-Control", "no-store");
    return headers;
  }

  /**
   * Returns the reason phrase of a status code this handler answers with.
   *
   * @param status the status code
   * @return the reason phrase, such as {@code "Not Found"}
   */
  static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 202: return "Accepted";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 409: return "Conflict";
      case 415: return "Unsupported Media Type";
      case 422: return "Unprocessable Content";
      case 500: return "Internal Server Error";
      default: return "HTTP " + status;
    }
  }
}
