package io.batanomaly.spring.boot.internal;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless a {@code batanomaly.*} property, in any relaxed form, sets
 * {@code ANOMALY_JDBC_URL}: a database named there is the engine's own, and the application's
 * {@code DataSource} is then left alone. Not part of the public API.
 */
public final class NoJdbcUrlCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    for (Map.Entry<String, String> e : PropertyMapping.read(context.getEnvironment())
        .entrySet()) {
      if (PropertyMapping.keyOf(e.getKey()).equals("ANOMALY_JDBC_URL")
          && !e.getValue().isBlank()) {
        return ConditionOutcome.noMatch("batanomaly." + e.getKey() + " names the database");
      }
    }
    return ConditionOutcome.match("no batanomaly.jdbc.url");
  }
}
