package io.batanomaly.examples.spring;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The application's identity: stateless bearer tokens. Every request but the health check and
 * the Anomalies page must be authenticated; a missing or unknown token is a 401 in the API's error format. What an
 * authenticated caller may do (ADMIN, which tenants) the starter reads from its authorities.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BearerTokens.class)
public class SecurityConfiguration {

  /**
   * The filter chain.
   *
   * @param http Spring Security's builder
   * @param tokens the known tokens
   * @return the chain
   * @throws Exception as {@link HttpSecurity#build()} does
   */
  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, BearerTokens tokens)
      throws Exception {
    return http
        // bearer tokens, no cookies: nothing for cross-site request forgery to ride on
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(a -> a
            // the health check, and the Anomalies page: static files whose API calls carry the
            // token the page asks for
            .requestMatchers("/actuator/health", "/actuator/health/**", "/dashboard/**")
            .permitAll()
            .anyRequest().authenticated())
        .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()))
        .build();
  }

  private static AuthenticationEntryPoint unauthorized() {
    return (request, response, failure) -> {
      response.setStatus(401);
      response.setHeader("WWW-Authenticate", "Bearer");
      response.setContentType("application/json");
      response.getOutputStream().write(("{\"status\":401,\"error\":\"Unauthorized\","
          + "\"message\":\"Missing or invalid bearer token\"}").getBytes(StandardCharsets.UTF_8));
    };
  }

  /** Authenticates {@code Authorization: Bearer <token>} against the known tokens. */
  static final class BearerTokenFilter extends OncePerRequestFilter {
    private final BearerTokens tokens;

    BearerTokenFilter(BearerTokens tokens) {
      this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
        FilterChain chain) throws ServletException, IOException {
      String header = request.getHeader("Authorization");
      if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        tokens.authenticate(header.substring(7).trim()).ifPresent(
            auth -> SecurityContextHolder.getContext().setAuthentication(auth));
      }
      chain.doFilter(request, response);
    }
  }
}
