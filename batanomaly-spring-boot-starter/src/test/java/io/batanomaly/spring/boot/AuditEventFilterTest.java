package io.batanomaly.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.BatchingIngester;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.testkit.ManualClock;
import jakarta.servlet.ServletException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AuditEventFilterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BatanomalyAutoConfiguration.class))
      .withBean(AnomalyEngineCustomizer.class,
          () -> b -> b.clock(new ManualClock(T0)).autoTick(false))
      .withPropertyValues("batanomaly.brute-force.threshold=3",
          "spring.application.name=shop");

  @SuppressWarnings("unchecked")
  private static AuditEventFilter filter(
      org.springframework.context.ApplicationContext context) {
    return ((FilterRegistrationBean<AuditEventFilter>) context.getBean("batanomalyAuditFilter"))
        .getFilter();
  }

  private static void login(AuditEventFilter filter, String tenant, String address, int status)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
    request.setRemoteAddr(address);
    if (tenant != null) {
      request.addHeader("X-Tenant-ID", tenant);
    }
    filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(
        new jakarta.servlet.http.HttpServlet() { }, (req, res, chain) ->
        ((jakarta.servlet.http.HttpServletResponse) res).setStatus(status)));
  }

  @Test
  void isOffUnlessEnabled() {
    runner.run(context -> assertThat(context).doesNotHaveBean("batanomalyAuditFilter")
        .doesNotHaveBean(BatchingIngester.class));
  }

  @Test
  void recordsEachRequestSoRefusedLoginsRaiseBruteForce() {
    runner.withPropertyValues("batanomaly.audit-filter.enabled=true",
        "batanomaly.audit-filter.max-delay=0s").run(context -> {
          FilterRegistrationBean<?> registration =
              context.getBean("batanomalyAuditFilter", FilterRegistrationBean.class);
          assertThat(registration.getOrder()).isLessThan(-100);
          AuditEventFilter filter = filter(context);
          for (int i = 0; i < 3; i++) {
            login(filter, "acme-corp", "203.0.113.9", 401);
          }
          login(filter, null, "203.0.113.10", 200);
          BatchingIngester ingester = context.getBean(BatchingIngester.class);
          ingester.flush();
          assertThat(ingester.accepted()).isEqualTo(4);
          AnomalyEngine engine = context.getBean(AnomalyEngine.class);
          List<AnomalySummary> found = engine.anomalies()
              .list("acme-corp", AnomalyQuery.defaults()).content();
          assertThat(found).hasSize(1);
          assertThat(found.get(0).type()).isEqualTo("BRUTE_FORCE");
          assertThat(found.get(0).subject()).isEqualTo("203.0.113.9");
          assertThat(found.get(0).service()).isEqualTo("shop");
          assertThat(engine.health().tenantsTracked()).isEqualTo(2); // acme-corp and default
        });
  }

  @Test
  void recordsA500WhenTheHandlerThrows() {
    runner.withPropertyValues("batanomaly.audit-filter.enabled=true",
        "batanomaly.audit-filter.max-delay=0s", "batanomaly.audit-filter.service=billing")
        .run(context -> {
          MockHttpServletRequest request = new MockHttpServletRequest("DELETE", "/invoices/7");
          assertThatThrownBy(() -> filter(context).doFilter(request,
              new MockHttpServletResponse(), new MockFilterChain(
                  new jakarta.servlet.http.HttpServlet() { }, (req, res, chain) -> {
                    throw new ServletException("boom");
                  }))).isInstanceOf(ServletException.class);
          BatchingIngester ingester = context.getBean(BatchingIngester.class);
          ingester.flush();
          assertThat(ingester.accepted()).isEqualTo(1);
          assertThat(context.getBean(AnomalyEngine.class).health().servicesTracked())
              .isEqualTo(1);
        });
  }

  @Test
  void theIngesterIsClosedBeforeTheEngineSoNothingBufferedIsLost() {
    List<BatchingIngester> ingesters = new ArrayList<>();
    runner.withPropertyValues("batanomaly.audit-filter.enabled=true",
        "batanomaly.audit-filter.max-delay=0s", "batanomaly.audit-filter.batch-size=100")
        .run(context -> {
          for (int i = 0; i < 5; i++) {
            login(filter(context), "acme-corp", "198.51.100." + i, 200);
          }
          BatchingIngester ingester = context.getBean(BatchingIngester.class);
          assertThat(ingester.accepted()).isZero();
          ingesters.add(ingester);
        });
    assertThat(ingesters.get(0).accepted()).isEqualTo(5);
    assertThat(ingesters.get(0).failed()).isZero();
  }
}
