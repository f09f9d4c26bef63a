package io.batanomaly.spring.boot;

import io.batanomaly.api.http.AnomalyHttpHandler;
import io.batanomaly.api.http.ApiRequest;
import io.batanomaly.api.http.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the documented triage endpoints through Spring MVC: every request under
 * {@code /api/v1/audit/anomalies} and its alias {@code /v1/audit/anomalies}, whatever its
 * method, goes to the {@link AnomalyHttpHandler}, which answers exactly as the documentation
 * says (status codes, JSON bodies and error messages included). The caller comes from the
 * {@link ApiPrincipalResolver}.
 *
 * <p>Registered by the auto-configuration; thread-safe.
 */
@RestController
public class AnomalyApiController {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyApiController.class);

  private final AnomalyHttpHandler handler;
  private final ApiPrincipalResolver principals;

  /**
   * Creates the controller.
   *
   * @param handler the handler that answers
   * @param principals tells who calls
   * @throws NullPointerException if an argument is null
   */
  public AnomalyApiController(AnomalyHttpHandler handler, ApiPrincipalResolver principals) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.principals = Objects.requireNonNull(principals, "principals");
  }

  /**
   * Answers one request.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if the body cannot be read or the response written
   */
  @RequestMapping(path = {
      AnomalyHttpHandler.BASE_PATH, AnomalyHttpHandler.BASE_PATH + "/**",
      AnomalyHttpHandler.ALIAS_PATH, AnomalyHttpHandler.ALIAS_PATH + "/**"})
  public void handle(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ApiResponse r = handler.handle(new ApiRequest(request.getMethod(), path,
        request.getQueryString(), headers, request.getInputStream().readAllBytes(),
        principals.resolve(request)));
    if (r.failure() != null) {
      LOG.error("The anomaly API failed on {} {}", request.getMethod(), path, r.failure());
    }
    response.setStatus(r.status());
    r.headers().forEach(response::setHeader);
    if (r.body().length > 0) {
      response.setContentLength(r.body().length);
      response.getOutputStream().write(r.body());
    }
  }
}
