package dev.turbofarm.coordinator.security.service;

import dev.turbofarm.common.security.ApiKeySecrets;
import dev.turbofarm.coordinator.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start, stores {@code turbofarm.security.bootstrap-admin-key} (its hash) unless it is there
 * already: how a coordinator gets its first admin key without anyone touching the database. The
 * local farm passes a key it generated under its data directory.
 */
@ApplicationScoped
public class KeyBootstrap {
  private static final Logger LOG = Logger.getLogger(KeyBootstrap.class);

  void onStart(@Observes StartupEvent start, SecurityConfig config, ApiKeys keys) {
    config
        .bootstrapAdminKey()
        .filter(k -> !k.isBlank())
        .ifPresent(
            key -> {
              if (!ApiKeySecrets.wellFormed(key.strip())) {
                throw new IllegalStateException(
                    "turbofarm.security.bootstrap-admin-key (TURBOFARM_SECURITY_BOOTSTRAP_ADMIN_KEY)"
                        + " is not an API key: it must be 'tf_' and 32..256 letters, digits, '-'"
                        + " or '_'. Generate one with './farm keys generate' or leave it unset.");
              }
              boolean stored = keys.bootstrap(key.strip());
              LOG.infof(
                  stored
                      ? "bootstrap admin key %s stored (only its hash)"
                      : "bootstrap admin key %s already known; nothing stored",
                  ApiKeySecrets.shown(key.strip()));
            });
  }
}
