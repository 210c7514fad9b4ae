package dev.turbofarm.coordinator.idempotency.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/** The {@code idempotency_key} table (V54, its {@code answer} V61). */
@ApplicationScoped
public class IdempotencyRepository {
  private final AgroalDataSource ds;

  IdempotencyRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * A stored key.
   *
   * @param resourceId what the first request created
   * @param answer the first request's answer where it is kept (a batch's); null otherwise
   * @param expired older than the key lifetime
   */
  public record Stored(
      String kind, String requestHash, UUID resourceId, String answer, boolean expired) {}

  /**
   * Claims the key for a first request; waits for a concurrent claim of the same key to commit or
   * roll back (the primary key), so only one request creates.
   *
   * @return whether this call claimed it
   */
  public boolean claim(String scope, String key, String kind, String hash) {
    return DatabaseFailures.withConnection(
        ds,
        "claim an idempotency key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO idempotency_key (scope, key, kind, request_hash)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.setString(3, kind);
            ps.setString(4, hash);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /** The stored key, if any. */
  public Optional<Stored> find(String scope, String key, long lifetimeMs) {
    return DatabaseFailures.withConnection(
        ds,
        "read an idempotency key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT kind, request_hash, resource_id, answer,"
                      + " created_at < now() - ?::bigint * interval '1 millisecond'"
                      + " FROM idempotency_key WHERE scope = ? AND key = ?")) {
            ps.setLong(1, lifetimeMs);
            ps.setString(2, scope);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Stored(
                          rs.getString(1),
                          rs.getString(2),
                          rs.getObject(3, UUID.class),
                          rs.getString(4),
                          rs.getBoolean(5)))
                  : Optional.<Stored>empty();
            }
          }
        });
  }

  /** Stores what the first request created and, where kept, its answer (null: none). */
  public void complete(String scope, String key, UUID resourceId, String answer) {
    DatabaseFailures.withConnection(
        ds,
        "store an idempotency key's answer",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE idempotency_key SET resource_id = ?, answer = ?"
                      + " WHERE scope = ? AND key = ?")) {
            ps.setObject(1, resourceId);
            ps.setString(2, answer);
            ps.setString(3, scope);
            ps.setString(4, key);
            return ps.executeUpdate();
          }
        });
  }

  /** Deletes one expired key so that it can be claimed afresh. */
  public void deleteExpired(String scope, String key, long lifetimeMs) {
    DatabaseFailures.withConnection(
        ds,
        "delete an expired idempotency key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM idempotency_key WHERE scope = ? AND key = ?"
                      + " AND created_at < now() - ?::bigint * interval '1 millisecond'")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.setLong(3, lifetimeMs);
            return ps.executeUpdate();
          }
        });
  }

  /** Deletes every expired key; returns how many. */
  public int purge(long lifetimeMs) {
    return DatabaseFailures.withConnection(
        ds,
        "purge expired idempotency keys",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM idempotency_key"
                      + " WHERE created_at < now() - ?::bigint * interval '1 millisecond'")) {
            ps.setLong(1, lifetimeMs);
            return ps.executeUpdate();
          }
        });
  }
}
