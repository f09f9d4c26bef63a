package io.batanomaly.spring.boot;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalySettings;
import io.batanomaly.BatchingIngester;
import io.batanomaly.Setting;
import io.batanomaly.api.http.AnomalyHttpHandler;
import io.batanomaly.api.http.DashboardHandler;
import io.batanomaly.api.http.JsonCodec;
import io.batanomaly.micrometer.BatanomalyMetrics;
import io.batanomaly.spi.AnomalyIdGenerator;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.AnomalyStoreProvider;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.NotifierProvider;
import io.batanomaly.spring.boot.internal.NoJdbcUrlCondition;
import io.batanomaly.spring.boot.internal.PropertyMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configures batanomaly in a Spring Boot application: an {@link AnomalyEngine} built from
 * the {@code batanomaly.*} properties (closed with the context), and, where the application
 * has what they need, the triage endpoints over Spring MVC, the principal mapping of Spring
 * Security, an Actuator health indicator, the Micrometer meters and the opt-in audit filter.
 *
 * <p>Each {@code batanomaly.*} property is the {@code ANOMALY_*} setting of the same name
 * ({@code batanomaly.brute-force.threshold} is {@code ANOMALY_BRUTE_FORCE_THRESHOLD},
 * {@code batanomaly.cooldown=5m} or {@code PT5M} is {@code ANOMALY_COOLDOWN}); a property that
 * names no setting, or a value the engine refuses, fails start-up with the engine's message.
 * Beans of type {@link AnomalyListener}, {@link DetectorProvider}, {@link AnomalyStore},
 * {@link AnomalyRepository}, {@link AnomalyIdGenerator} and {@link AnomalyEngineCustomizer} are
 * handed to the builder. With {@code batanomaly-jdbc} on the class path and a
 * {@code DataSource} bean, anomalies, Idempotency-Key outcomes and suppressions are kept in that
 * database.
 * {@code batanomaly.enabled=false} switches all of it off.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration"})
@ConditionalOnProperty(prefix = "batanomaly", name = "enabled", havingValue = "true",
    matchIfMissing = true)
public class BatanomalyAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(BatanomalyAutoConfiguration.class);

  /**
   * The engine's settings, from the {@code batanomaly.*} properties.
   *
   * @param environment the environment
   * @param context the application context, whose class loader finds detector providers
   * @param detectors detector providers declared as beans
   * @return the settings, of the engine, its notifiers, stores and detectors
   * @throws IllegalArgumentException naming every property that is no setting
   */
  @Bean
  @ConditionalOnMissingBean
  public AnomalyConfig batanomalyConfig(Environment environment, ApplicationContext context,
      ObjectProvider<DetectorProvider> detectors) {
    List<Setting<?>> known = new ArrayList<>(AnomalySettings.all());
    for (NotifierProvider p : ServiceLoader.load(NotifierProvider.class,
        context.getClassLoader())) {
      known.addAll(p.settings());
    }
    for (AnomalyStoreProvider p : ServiceLoader.load(AnomalyStoreProvider.class,
        context.getClassLoader())) {
      known.addAll(p.settings());
    }
    for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class,
        context.getClassLoader())) {
      known.addAll(p.settings());
    }
    detectors.orderedStream().forEach(p -> known.addAll(p.settings()));
    return PropertyMapping.toConfig(PropertyMapping.read(environment), known,
        PropertyMapping.environmentOnly(environment));
  }

  /**
   * The engine, closed when the context closes.
   *
   * @param config the settings
   * @param context the application context, whose class loader finds detector providers
   * @param listeners listener beans, in their order
   * @param detectors detector provider beans, in addition to those found with ServiceLoader
   * @param store the store bean, if any, such as the JDBC store over the application's
   *     {@code DataSource}
   * @param repository the repository bean, if any and no store bean; else the in-memory one
   * @param ids the id generator bean, if any
   * @param customizers customizer beans, in their order
   * @return the engine
   * @throws IllegalArgumentException with the engine's message when a setting is invalid
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AnomalyEngine anomalyEngine(AnomalyConfig config, ApplicationContext context,
      ObjectProvider<AnomalyListener> listeners, ObjectProvider<DetectorProvider> detectors,
      ObjectProvider<AnomalyStore> store, ObjectProvider<AnomalyRepository> repository,
      ObjectProvider<AnomalyIdGenerator> ids,
      ObjectProvider<AnomalyEngineCustomizer> customizers) {
    AnomalyEngine.Builder b = AnomalyEngine.builder().config(config)
        .classLoader(context.getClassLoader());
    listeners.orderedStream().forEach(b::listener);
    detectors.orderedStream().forEach(b::detector);
    AnomalyStore s = store.getIfAvailable();
    if (s != null) {
      b.store(s);
    } else {
      repository.ifAvailable(b::repository);
    }
    ids.ifAvailable(b::idGenerator);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * The JDBC store over the application's {@code DataSource}, when {@code batanomaly-jdbc} is on
   * the class path and {@code batanomaly.jdbc.url} does not name a database of its own. The
   * context closes it after the engine; the data source stays the application's.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.batanomaly.jdbc.JdbcStore", "javax.sql.DataSource"})
  @ConditionalOnBean(type = "javax.sql.DataSource")
  @Conditional(NoJdbcUrlCondition.class)
  static class JdbcStoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(AnomalyStore.class)
    io.batanomaly.jdbc.JdbcStore batanomalyJdbcStore(javax.sql.DataSource dataSource,
        AnomalyConfig config, ApplicationContext context) {
      return io.batanomaly.jdbc.JdbcStore.builder(dataSource)
          .schema(io.batanomaly.jdbc.SchemaMode.parse(
              config.get(io.batanomaly.jdbc.JdbcSettings.SCHEMA)))
          .retention(config.get(AnomalySettings.RETENTION))
          .classLoader(context.getClassLoader())
          .build();
    }
  }

  /** Actuator's health indicator, when health support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "batanomalyHealthIndicator")
    BatanomalyHealthIndicator batanomalyHealthIndicator(AnomalyEngine engine) {
      return new BatanomalyHealthIndicator(engine);
    }
  }

  /** The Micrometer binder; Spring Boot binds it to every registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
      "io.batanomaly.micrometer.BatanomalyMetrics"})
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BatanomalyMetrics batanomalyMetrics(AnomalyEngine engine) {
      return new BatanomalyMetrics(engine);
    }
  }

  /** The triage endpoints over Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet",
      "tools.jackson.databind.ObjectMapper"})
  @ConditionalOnProperty(prefix = "batanomaly.api", name = "enabled", havingValue = "true",
      matchIfMissing = true)
  static class ApiConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JsonCodec batanomalyJsonCodec(ObjectProvider<tools.jackson.databind.ObjectMapper> mapper) {
      return new JacksonJsonCodec(mapper.getIfAvailable(
          () -> tools.jackson.databind.json.JsonMapper.builder().build()));
    }

    @Bean
    @ConditionalOnMissingBean
    AnomalyHttpHandler anomalyHttpHandler(AnomalyEngine engine, JsonCodec json) {
      return new AnomalyHttpHandler(engine.anomalies(), json);
    }

    @Bean
    @ConditionalOnMissingBean
    AnomalyApiController anomalyApiController(AnomalyHttpHandler handler,
        ApiPrincipalResolver principals) {
      return new AnomalyApiController(handler, principals);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "batanomaly.page", name = "enabled", havingValue = "true",
        matchIfMissing = true)
    DashboardHandler anomaliesPage(Environment environment) {
      String path = environment.getProperty("batanomaly.page.path", DashboardHandler.DEFAULT_PATH);
      String signIn = environment.getProperty("batanomaly.page.sign-in", "bearer-token");
      return DashboardHandler.builder().path(path)
          .signIn(DashboardHandler.SignIn.valueOf(
              signIn.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
          .build();
    }

    @Bean
    @ConditionalOnBean(DashboardHandler.class)
    @ConditionalOnMissingBean
    AnomaliesPageController anomaliesPageController(DashboardHandler page) {
      return new AnomaliesPageController(page);
    }

    /** Spring Security's principal, when Spring Security is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
    static class SecurityPrincipals {

      @Bean
      @ConditionalOnMissingBean
      ApiPrincipalResolver apiPrincipalResolver() {
        return new SpringSecurityPrincipalResolver();
      }
    }

    /** Without Spring Security and without a resolver bean, every request is a 401. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
    static class NoPrincipals {

      @Bean
      @ConditionalOnMissingBean
      ApiPrincipalResolver apiPrincipalResolver() {
        LOG.warn("The batanomaly triage endpoints answer 401 to every request: add Spring"
            + " Security or declare an ApiPrincipalResolver bean");
        return request -> null;
      }
    }
  }

  /** The opt-in filter recording each request as an audit event. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.filter.OncePerRequestFilter")
  @ConditionalOnProperty(prefix = "batanomaly.audit-filter", name = "enabled",
      havingValue = "true")
  @EnableConfigurationProperties(AuditFilterProperties.class)
  static class AuditFilterConfiguration {

    // depends on the engine, so the context closes it first and what it buffers is ingested
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BatchingIngester batanomalyBatchingIngester(AnomalyEngine engine,
        AuditFilterProperties properties) {
      return new BatchingIngester(engine, properties.getBatchSize(), properties.getCapacity(),
          properties.getMaxDelay());
    }

    @Bean
    FilterRegistrationBean<AuditEventFilter> batanomalyAuditFilter(AnomalyEngine engine,
        BatchingIngester ingester, AuditFilterProperties properties, Environment environment) {
      String service = properties.getService() != null ? properties.getService()
          : environment.getProperty("spring.application.name", "application");
      FilterRegistrationBean<AuditEventFilter> r = new FilterRegistrationBean<>(
          new AuditEventFilter(service, properties.getDefaultTenant(),
              properties.getTenantHeader(), ingester, engine.clock()));
      r.setOrder(properties.getOrder());
      r.setName("batanomalyAuditFilter");
      return r;
    }
  }
}
