package dev.turbofarm.coordinator.security.rest;

import dev.turbofarm.coordinator.security.service.ApiKeys;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an API key into a security identity: its role for {@code @RolesAllowed}, and the {@link
 * Caller} as an attribute. The look-up may touch PostgreSQL (on a cache miss), so it runs on a
 * worker thread.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {
  private final ApiKeys keys;

  ApiKeyIdentityProvider(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public Class<ApiKeyRequest> getRequestType() {
    return ApiKeyRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      ApiKeyRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () ->
            keys.authenticate(request.key())
                .map(ApiKeyIdentityProvider::identity)
                // Unknown, revoked and expired answer alike: nothing to learn from the 401.
                .orElseThrow(AuthenticationFailedException::new));
  }

  static SecurityIdentity identity(Caller caller) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(caller.name()))
        .addRole(caller.role())
        .addAttribute(CallerContext.ATTRIBUTE, caller)
        .build();
  }
}
