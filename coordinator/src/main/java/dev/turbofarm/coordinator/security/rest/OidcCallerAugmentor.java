package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.coordinator.config.SecurityConfig;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * An OIDC token's identity, reduced to a {@link Caller}: the role and teams come from the claims
 * named under {@code turbofarm.security.oidc.*}, and only they count. A token whose role claim is
 * missing or unknown, or whose team claim is not a team name, keeps no role at all: it is
 * authenticated and may call nothing (403).
 */
@ApplicationScoped
public class OidcCallerAugmentor implements SecurityIdentityAugmentor {
  private static final Logger LOG = Logger.getLogger(OidcCallerAugmentor.class);

  private final SecurityConfig config;

  OidcCallerAugmentor(SecurityConfig config) {
    this.config = config;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()
        || identity.getAttribute(CallerContext.ATTRIBUTE) != null
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    SecurityConfig.Oidc claims = config.oidc();
    String role = string(jwt.getClaim(claims.roleClaim()));
    String team = string(jwt.getClaim(claims.teamClaim()));
    QuarkusSecurityIdentity.Builder b =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(jwt)
            .addCredentials(identity.getCredentials())
            .addAttributes(identity.getAttributes());
    if (!Roles.isRole(role) || !JobRules.isTeamName(team)) {
      LOG.warnf(
          "OIDC token of %s has no usable %s (%s) or %s (%s) claim: it may call nothing",
          jwt.getSubject(), claims.roleClaim(), role, claims.teamClaim(), team);
      return Uni.createFrom().item(b.build());
    }
    Set<String> teams = new LinkedHashSet<>();
    if (Roles.ANALYST.equals(role)) {
      for (String t : strings(jwt.getClaim(claims.teamsClaim()))) {
        if (JobRules.isTeamName(t)) {
          teams.add(t);
        }
      }
    }
    String name = string(jwt.getClaim(claims.nameClaim()));
    Caller caller =
        new Caller(
            "oidc:" + jwt.getSubject(), name == null ? jwt.getSubject() : name, role, team, teams);
    return Uni.createFrom()
        .item(b.addRole(role).addAttribute(CallerContext.ATTRIBUTE, caller).build());
  }

  private static String string(Object claim) {
    if (claim instanceof JsonString s) {
      return s.getString();
    }
    return claim instanceof String s ? s : null;
  }

  /** A claim as a list of names: a JSON array, or one string split at commas or spaces. */
  private static List<String> strings(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof JsonArray a) {
      for (JsonValue v : a) {
        if (v instanceof JsonString s) {
          out.add(s.getString());
        }
      }
    } else if (claim instanceof Iterable<?> it) {
      it.forEach(v -> out.add(String.valueOf(v)));
    } else {
      String s = string(claim);
      if (s != null) {
        for (String part : s.split("[,\\s]+")) {
          if (!part.isEmpty()) {
            out.add(part);
          }
        }
      }
    }
    return out;
  }
}
