package dev.turbofarm.coordinator.security.service;

import dev.turbofarm.coordinator.error.UnauthorizedProblem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * The current request's {@link Caller}, for resources: {@code @Inject CallerContext callers; ...
 * callers.caller()}. Services take the {@link Caller} as a parameter instead of reading the
 * request, so they work the same from a test or a scheduler.
 */
@RequestScoped
public class CallerContext {
  /** The security identity attribute that carries the {@link Caller}. */
  public static final String ATTRIBUTE = "turbofarm.caller";

  private final SecurityIdentity identity;

  CallerContext(SecurityIdentity identity) {
    this.identity = identity;
  }

  /**
   * The authenticated caller.
   *
   * @throws UnauthorizedProblem when the request has no credential that TurboFarm understands
   *     (endpoints carry {@code @RolesAllowed}, so this is a safety net)
   */
  public Caller caller() {
    Caller c = identity.isAnonymous() ? null : identity.getAttribute(ATTRIBUTE);
    if (c == null) {
      throw new UnauthorizedProblem(
          "a valid credential is required: send 'Authorization: Bearer <API key or OIDC token>'");
    }
    return c;
  }

  /** The caller, or null for an anonymous request. */
  public Caller callerOrNull() {
    return identity.isAnonymous() ? null : identity.getAttribute(ATTRIBUTE);
  }
}
