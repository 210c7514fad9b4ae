package dev.turbofarm.coordinator.security.rest;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key found in {@code Authorization: Bearer tf_...}, for {@link ApiKeyIdentityProvider}. */
final class ApiKeyRequest extends BaseAuthenticationRequest {
  private final String key;

  ApiKeyRequest(String key) {
    this.key = key;
  }

  String key() {
    return key;
  }
}
