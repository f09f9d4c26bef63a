package io.batanomaly.spring.boot;

import io.batanomaly.api.http.ApiRequest;
import io.batanomaly.api.http.ApiResponse;
import io.batanomaly.api.http.DashboardHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the Anomalies page ({@link DashboardHandler}) through Spring MVC under
 * {@code batanomaly.page.path} (default {@code /dashboard/}, the page at
 * {@code /dashboard/anomalies}). The page is static and holds no tenant data; its calls to the
 * triage endpoints carry the caller's credentials. Registered by the auto-configuration with the
 * endpoints; thread-safe.
 */
@RestController
public class AnomaliesPageController {
  private final DashboardHandler page;

  /**
   * Creates the controller.
   *
   * @param page the page handler
   * @throws NullPointerException if {@code page} is null
   */
  public AnomaliesPageController(DashboardHandler page) {
    this.page = Objects.requireNonNull(page, "page");
  }

  /**
   * Answers one request for the page or one of its assets.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if the response cannot be written
   */
  @RequestMapping("${batanomaly.page.path:/dashboard/}**")
  public void handle(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ApiResponse r = page.handle(new ApiRequest(request.getMethod(), path,
        request.getQueryString(), headers, null, null));
    response.setStatus(r.status());
    r.headers().forEach(response::setHeader);
    if (r.body().length > 0) {
      response.setContentLength(r.body().length);
      response.getOutputStream().write(r.body());
    }
  }
}
