package io.batanomaly.examples.spring;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * The sample's bearer tokens, from {@code sample.tokens.<token>=<name>,<authority>,…}: a
 * stand-in for the identity provider a real application validates tokens with. Authorities are
 * Spring Security's: {@code ROLE_ADMIN}, {@code TENANT_acme-corp}, {@code TENANT_*}.
 *
 * @param tokens token to its name and authorities
 */
@ConfigurationProperties("sample")
public record BearerTokens(Map<String, List<String>> tokens) {

  /** Copies the map. */
  public BearerTokens {
    tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
  }

  /**
   * Returns who a token stands for.
   *
   * @param token the token
   * @return the authenticated principal, or empty for an unknown token
   */
  public Optional<Authentication> authenticate(String token) {
    List<String> entry = tokens.get(token);
    if (entry == null || entry.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(UsernamePasswordAuthenticationToken.authenticated(entry.get(0), null,
        AuthorityUtils.createAuthorityList(entry.subList(1, entry.size()))));
  }
}
