package dev.turbofarm.coordinator.batch.persistence;

import static dev.turbofarm.coordinator.job.persistence.JobStateSql.DISPATCHED;
import static dev.turbofarm.coordinator.job.persistence.JobStateSql.QUEUED;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code batch} table's SQL: one row per catalogue upload, its cancel and completion stamps,
 * and its webhook's delivery status.
 */
@ApplicationScoped
public class BatchRepository {
  /**
   * Stamps every unfinished batch without QUEUED or DISPATCHED jobs, and makes its webhook due. An
   * {@code UPDATE ... WHERE completed_at IS NULL}: with several replicas exactly one stamps each.
   */
  private static final String FINISH =
      "UPDATE batch b SET completed_at = now(),"
          + " webhook_next_at = CASE WHEN webhook_url IS NOT NULL THEN now() END"
          + " WHERE completed_at IS NULL AND NOT EXISTS"
          + " (SELECT 1 FROM job j WHERE j.batch_id = b.id AND j.state IN ("
          + QUEUED
          + ", "
          + DISPATCHED
          + ")) RETURNING id";

  /**
   * Claims due webhooks: the next attempt is counted and the row is not due again until the claim
   * runs out, so a replica that dies while delivering leaves it to the next one, and concurrent
   * replicas skip each other's rows.
   */
  private static final String CLAIM_WEBHOOKS =
      "UPDATE batch SET webhook_attempts = webhook_attempts + 1,"
          + " webhook_next_at = now() + ? * interval '1 millisecond'"
          + " WHERE id IN (SELECT id FROM batch WHERE webhook_next_at <= now()"
          + " ORDER BY webhook_next_at LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " RETURNING id, webhook_url, webhook_attempts";

  private final AgroalDataSource ds;

  BatchRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** A new batch row; its jobs are written in the same transaction. */
  public void insert(NewBatch b) {
    DatabaseFailures.withConnection(
        ds,
        "store batch " + b.id(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO batch (id, team, name, source, job_count, image_count,"
                      + " rejected_count, webhook_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, b.id());
            ps.setString(2, b.team());
            ps.setString(3, b.name());
            ps.setString(4, b.source());
            ps.setInt(5, b.jobCount());
            ps.setLong(6, b.imageCount());
            ps.setInt(7, b.rejectedCount());
            ps.setString(8, b.webhookUrl());
            return ps.executeUpdate();
          }
        });
  }

  /**
   * A batch to store.
   *
   * @param source the catalogue's format
   * @param webhookUrl called when the batch completes; null for none
   */
  public record NewBatch(
      UUID id,
      String team,
      String name,
      String source,
      int jobCount,
      long imageCount,
      int rejectedCount,
      String webhookUrl) {}

  public Optional<BatchRow> find(UUID id) {
    return DatabaseFailures.withConnection(
        ds,
        "read batch " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT team, name, created_at, completed_at, cancelled_at, webhook_status,"
                      + " extract(epoch FROM now() - created_at) AS age_s FROM batch"
                      + " WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new BatchRow(
                      id,
                      rs.getString(1),
                      rs.getString(2),
                      rs.getObject(3, OffsetDateTime.class),
                      rs.getObject(4, OffsetDateTime.class),
                      rs.getObject(5, OffsetDateTime.class),
                      rs.getString(6),
                      rs.getDouble(7)));
            }
          }
        });
  }

  /**
   * A row of the {@code batch} table as progress reads it.
   *
   * @param ageS seconds since it was accepted, by the database's clock
   */
  public record BatchRow(
      UUID id,
      String team,
      String name,
      OffsetDateTime createdAt,
      OffsetDateTime completedAt,
      OffsetDateTime cancelledAt,
      String webhookStatus,
      double ageS) {}

  /** Stamps the batch cancelled (once); false when there is no such batch. */
  public boolean markCancelled(UUID id) {
    return DatabaseFailures.withConnection(
        ds,
        "cancel batch " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE batch SET cancelled_at = coalesce(cancelled_at, now()) WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /** Stamps the batches that just finished; returns their ids. */
  public List<UUID> stampFinished() {
    return DatabaseFailures.withConnection(
        ds,
        "stamp finished batches",
        c -> {
          List<UUID> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(FINISH);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getObject(1, UUID.class));
            }
          }
          return out;
        });
  }

  /**
   * Claims up to {@code limit} due webhooks for {@code claimMs}.
   *
   * @return each with the attempt this delivery is
   */
  public List<DueWebhook> claimDueWebhooks(int limit, long claimMs) {
    return DatabaseFailures.withConnection(
        ds,
        "claim due webhooks",
        c -> {
          List<DueWebhook> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(CLAIM_WEBHOOKS)) {
            ps.setLong(1, claimMs);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new DueWebhook(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)));
              }
            }
          }
          return out;
        });
  }

  /** A webhook to deliver now, as attempt {@code attempt}. */
  public record DueWebhook(UUID batchId, String url, int attempt) {}

  /**
   * Records a delivery's outcome.
   *
   * @param retryInMs when to try again, ms from now; negative: never (delivered or given up)
   * @param status what the batch's progress shows, e.g. {@code delivered: HTTP 200 on attempt 2}
   */
  public void recordWebhook(UUID id, String status, long retryInMs) {
    DatabaseFailures.withConnection(
        ds,
        "record the webhook status of batch " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE batch SET webhook_status = ?, webhook_next_at = CASE WHEN ? >= 0 THEN"
                      + " now() + ? * interval '1 millisecond' END WHERE id = ?")) {
            ps.setString(1, status);
            ps.setLong(2, retryInMs);
            ps.setLong(3, retryInMs);
            ps.setObject(4, id);
            return ps.executeUpdate();
          }
        });
  }
}
