package io.batanomaly.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with batanomaly: the starter gives it the engine (configured in
 * {@code application.properties}), the documented triage endpoints, a health component and
 * metrics; the application adds only its identity ({@link SecurityConfiguration}) and, for the
 * demonstration, the documentation's own incident ({@link DocumentedIncident}).
 *
 * <pre>
 * mvn -B -q -Pspring-sample -DskipTests verify     # from the project root, port 8080
 * </pre>
 */
@SpringBootApplication
public class SampleApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
