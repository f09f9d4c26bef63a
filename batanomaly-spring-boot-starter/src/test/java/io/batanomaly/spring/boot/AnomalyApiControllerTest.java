package io.batanomaly.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.http.ApiPrincipal;
import io.batanomaly.api.http.JsonCodec;
import io.batanomaly.testkit.ManualClock;
import io.batanomaly.testkit.ManualExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The endpoints as the starter serves them: over the context's Jackson 3 mapper, with the
 * caller taken from Spring Security's context. A brute-force anomaly of acme-corp is there.
 */
class AnomalyApiControllerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String LIST = "/api/v1/audit/anomalies";
  /** What every other host writes: Jackson 2, no module, no setting. */
  private static final ObjectMapper JACKSON2 = new ObjectMapper();

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
          BatanomalyAutoConfiguration.class))
      .withUserConfiguration(Fixture.class)
      .withPropertyValues("batanomaly.brute-force.threshold=3");

  @AfterEach
  void clearSecurity() {
    SecurityContextHolder.clearContext();
  }

  @Configuration(proxyBeanMethods = false)
  static class Fixture {
    @Bean
    ManualExecutor verifications() {
      return new ManualExecutor();
    }

    @Bean
    AnomalyEngineCustomizer testClock(ManualExecutor verifications) {
      return b -> b.clock(new ManualClock(T0)).autoTick(false)
          .verificationExecutor(verifications);
    }
  }

  private void withAnomaly(Consumer<AssertableWebApplicationContext> test) {
    runner.run(context -> {
      AnomalyEngine engine = context.getBean(AnomalyEngine.class);
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        batch.add(AuditEvent.builder().tenant("acme-corp").service("auth")
            .timestamp(T0.minusSeconds(20 - i)).method("POST").status(401)
            .identifier("10.0.0.7").build());
      }
      engine.ingest(batch);
      test.accept(context);
    });
  }

  private static void authenticate(String name, String... authorities) {
    SecurityContextHolder.getContext().setAuthentication(
        new TestingAuthenticationToken(name, "n/a", AuthorityUtils.createAuthorityList(
            authorities)));
  }

  private static MockHttpServletResponse call(AssertableWebApplicationContext context,
      String method, String uri, String tenant, String body, String... headers) {
    MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
    int q = uri.indexOf('?');
    if (q >= 0) {
      request.setRequestURI(uri.substring(0, q));
      request.setQueryString(uri.substring(q + 1));
    }
    if (tenant != null) {
      request.addHeader("X-Tenant-ID", tenant);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.addHeader(headers[i], headers[i + 1]);
    }
    if (body != null) {
      request.setContentType("application/json");
      request.setContent(body.getBytes(StandardCharsets.UTF_8));
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    try {
      context.getBean(AnomalyApiController.class).handle(request, response);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return response;
  }

  private static JsonNode json(MockHttpServletResponse r) {
    try {
      return JACKSON2.readTree(r.getContentAsByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String text(MockHttpServletResponse r) {
    return new String(r.getContentAsByteArray(), StandardCharsets.UTF_8);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void writesTheSameJsonAsJackson2WithTheContextsJackson3Mapper() throws Exception {
    withAnomaly(context -> {
      assertThat(context.getBean(JsonCodec.class)).isInstanceOf(JacksonJsonCodec.class);
      authenticate("alice", "ROLE_ADMIN", "TENANT_acme-corp");
      AnomalyEngine engine = context.getBean(AnomalyEngine.class);

      MockHttpServletResponse list = call(context, "GET", LIST, "acme-corp", null);
      assertThat(list.getStatus()).as(text(list)).isEqualTo(200);
      assertThat(list.getHeader("Content-Type")).isEqualTo("application/json");
      String expectedPage = write(engine.anomalies().list("acme-corp", AnomalyQuery.defaults()));
      assertThat(text(list)).isEqualTo(expectedPage);
      JsonNode page = json(list);
      assertThat(fieldNames(page)).containsExactly("content", "totalElements", "totalPages",
          "page", "size");
      JsonNode item = page.get("content").get(0);
      assertThat(fieldNames(item)).startsWith("id", "type");
      assertThat(fieldNames(item)).contains("detectedAt", "status", "severity", "summary");
      assertThat(item.get("detectedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");

      String id = item.get("id").asText();
      MockHttpServletResponse detail = call(context, "GET", LIST + "/" + id, "acme-corp", null);
      assertThat(detail.getStatus()).isEqualTo(200);
      assertThat(text(detail))
          .isEqualTo(write(engine.anomalies().get("acme-corp", id)));
      assertThat(fieldNames(json(detail))).contains("metrics", "recommendedActions", "history");
      assertThat(json(detail).get("metrics").get("windowStart").asText())
          .matches("2026-03-01T\\d\\d:\\d\\d:\\d\\dZ");

      MockHttpServletResponse missing = call(context, "GET", LIST + "/anom-nope", "acme-corp",
          null);
      assertThat(missing.getStatus()).isEqualTo(404);
      assertThat(fieldNames(json(missing))).containsExactly("status", "error", "message");
    });
  }

  private static String write(Object value) {
    try {
      return JACKSON2.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void mapsRoleAndTenantAuthoritiesOntoThePrincipal() {
    withAnomaly(context -> {
      assertThat(call(context, "GET", LIST, "acme-corp", null).getStatus()).isEqualTo(401);
      SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken(
          "key", "anonymous", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
      MockHttpServletResponse anonymous = call(context, "GET", LIST, "acme-corp", null);
      assertThat(anonymous.getStatus()).isEqualTo(401);
      assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Bearer");

      authenticate("victor", "ROLE_VIEWER", "TENANT_acme-corp");
      MockHttpServletResponse viewer = call(context, "GET", LIST, "acme-corp", null);
      assertThat(viewer.getStatus()).isEqualTo(403);
      assertThat(json(viewer).get("message").asText()).contains("ADMIN role is required");

      authenticate("alice", "ROLE_ADMIN", "TENANT_globex");
      MockHttpServletResponse other = call(context, "GET", LIST, "acme-corp", null);
      assertThat(other.getStatus()).isEqualTo(403);
      assertThat(json(other).get("message").asText())
          .contains("'alice' may not act for tenant 'acme-corp'");

      authenticate("root", "ROLE_ADMIN", "TENANT_*");
      assertThat(call(context, "GET", LIST, "acme-corp", null).getStatus()).isEqualTo(200);
      assertThat(call(context, "GET", "/v1/audit/anomalies", "globex", null).getStatus())
          .isEqualTo(200);

      assertThat(new SpringSecurityPrincipalResolver().resolve(new MockHttpServletRequest()))
          .isEqualTo(ApiPrincipal.of("root", Set.of("*"), Set.of("ADMIN")));
    });
  }

  @Test
  void verifiesAndUpdatesWithAnIdempotencyKeyReplayed() {
    withAnomaly(context -> {
      authenticate("alice", "ROLE_ADMIN", "TENANT_acme-corp");
      String id = json(call(context, "GET", LIST, "acme-corp", null)).get("content").get(0)
          .get("id").asText();
      MockHttpServletResponse verify = call(context, "POST",
          LIST + "/" + id + "/actions/verify", "acme-corp", null);
      assertThat(verify.getStatus()).isEqualTo(202);
      assertThat(verify.getContentAsByteArray()).isEmpty();
      assertThat(json(call(context, "GET", LIST + "/" + id, "acme-corp", null)).get("status")
          .asText()).isEqualTo("VERIFYING");
      assertThat(context.getBean(ManualExecutor.class).runAll()).isEqualTo(1);

      String body = "{\"status\": \"RESOLVED\", \"note\": \"blocked at the edge\"}";
      MockHttpServletResponse first = call(context, "PATCH", LIST + "/" + id + "/status",
          "acme-corp", body, "Idempotency-Key", "k-1");
      assertThat(first.getStatus()).as(first.getContentAsByteArray().length + "")
          .isEqualTo(200);
      assertThat(json(first).get("status").asText()).isEqualTo("RESOLVED");
      MockHttpServletResponse retry = call(context, "PATCH", LIST + "/" + id + "/status",
          "acme-corp", body, "Idempotency-Key", "k-1");
      assertThat(retry.getStatus()).isEqualTo(200);
      assertThat(json(retry)).isEqualTo(json(first));

      MockHttpServletResponse bad = call(context, "PATCH", LIST + "/" + id + "/status",
          "acme-corp", "{\"status\":", "Idempotency-Key", "k-2");
      assertThat(bad.getStatus()).isEqualTo(400);
      assertThat(json(bad).get("message").asText()).startsWith("request body is not valid JSON");
    });
  }

  @Test
  void aResolverBeanReplacesTheSpringSecurityMapping() {
    runner.withBean(ApiPrincipalResolver.class, () -> request -> ApiPrincipal.of("svc",
            Set.of("acme-corp"), Set.of("ADMIN")))
        .run(context -> {
          assertThat(context).doesNotHaveBean(SpringSecurityPrincipalResolver.class);
          assertThat(call(context, "GET", LIST, "acme-corp", null).getStatus()).isEqualTo(200);
        });
  }

  @Test
  void servesTheAnomaliesPageUnderTheConfiguredPath() {
    runner.withPropertyValues("batanomaly.page.path=/triage/", "batanomaly.page.sign-in=host")
        .run(context -> {
          MockHttpServletRequest request = new MockHttpServletRequest("GET", "/triage/anomalies");
          MockHttpServletResponse response = new MockHttpServletResponse();
          context.getBean(AnomaliesPageController.class).handle(request, response);
          assertThat(response.getStatus()).isEqualTo(200);
          assertThat(response.getHeader("Content-Type")).startsWith("text/html");
          assertThat(context.getBean(io.batanomaly.api.http.DashboardHandler.class)
              .handles("/triage/anomalies")).isTrue();
        });
    runner.withPropertyValues("batanomaly.page.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(AnomaliesPageController.class)
            .hasSingleBean(AnomalyApiController.class));
  }

  @Test
  void batanomalyApiEnabledFalseLeavesTheEndpointsOut() {
    runner.withPropertyValues("batanomaly.api.enabled=false")
        .run(context -> assertThat(context).hasSingleBean(AnomalyEngine.class)
            .doesNotHaveBean(AnomalyApiController.class));
  }
}
