package dev.turbofarm.coordinator.seed.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Lineage over the {@code job} and {@code image} tables, both ways, with recursive CTEs: an image's
 * ancestry (each job names its parent image) and its descendants (jobs naming it, index {@code
 * job_parent_idx}). Images not rendered yet are listed from their job's seeds.
 */
@ApplicationScoped
public class LineageRepository {
  /** Deepest lineage walked, generations: far beyond explore -> variants -> refine. */
  static final int MAX_DEPTH = 100;

  /** One image's row: its job's settings, the image as rendered (if it is) and its review. */
  private static final String NODE =
      " j.id, s.idx - 1 AS idx, j.team, j.state, j.prompt, j.derivation, j.parent_job_id,"
          + " j.parent_idx, coalesce(i.seed, s.seed) AS seed, i.seed_offset,"
          + " coalesce(i.width, j.width) AS width, coalesce(i.height, j.height) AS height,"
          + " coalesce(i.steps, j.steps) AS steps, coalesce(i.step_profile, j.step_profile) AS"
          + " step_profile, coalesce(i.guidance, j.guidance) AS guidance,"
          + " coalesce(i.model_id, j.model) AS model, i.quality, i.storage_key, i.verdict, i.rating";

  private static final String ANCESTRY =
      "WITH RECURSIVE a(job_id, idx, depth) AS ("
          + " SELECT ?::uuid, ?::int, 0"
          + " UNION ALL SELECT j.parent_job_id, j.parent_idx, a.depth + 1 FROM a"
          + " JOIN job j ON j.id = a.job_id WHERE j.parent_job_id IS NOT NULL AND a.depth < "
          + MAX_DEPTH
          + ") SELECT a.depth,"
          + NODE
          + " FROM a JOIN job j ON j.id = a.job_id"
          + " CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " WHERE s.idx - 1 = a.idx ORDER BY a.depth DESC";

  private static final String DESCENDANTS =
      "WITH RECURSIVE d(job_id, depth) AS ("
          + " SELECT id, 1 FROM job WHERE parent_job_id = ? AND parent_idx = ?"
          + " UNION ALL SELECT j.id, d.depth + 1 FROM d"
          + " JOIN job j ON j.parent_job_id = d.job_id WHERE d.depth < ?"
          + ") SELECT d.depth,"
          + NODE
          + " FROM d JOIN job j ON j.id = d.job_id"
          + " CROSS JOIN LATERAL unnest(j.seeds) WITH ORDINALITY AS s(seed, idx)"
          + " LEFT JOIN image i ON i.job_id = j.id AND i.idx = s.idx - 1"
          + " ORDER BY d.depth, j.created_at, j.id, s.idx";

  private final AgroalDataSource ds;

  LineageRepository(AgroalDataSource ds) {
    this.ds = ds;
  }

  /**
   * One image in a lineage.
   *
   * @param depth generations from the image asked about: ancestors count up from 0 (the image
   *     itself), descendants from 1 (its children)
   * @param state its job's state
   * @param derivation {@code variant}, {@code refine}, {@code rerun}; null for a root
   * @param seedOffset its seed minus its parent's mod 2^32; null while not rendered or for a root
   * @param storageKey its key in the result store; null while not rendered
   */
  public record Node(
      int depth,
      UUID jobId,
      int index,
      String team,
      String state,
      String prompt,
      String derivation,
      UUID parentJobId,
      Integer parentIndex,
      long seed,
      Long seedOffset,
      int width,
      int height,
      int steps,
      String stepProfile,
      double guidance,
      String model,
      Double quality,
      String storageKey,
      String verdict,
      Integer rating) {}

  /** The image and its ancestors, the root (the exploration) first; empty for no such image. */
  public List<Node> ancestry(UUID jobId, int index) {
    return query(
        "read the ancestry of image " + index + " of job " + jobId,
        ANCESTRY,
        ps -> {
          ps.setObject(1, jobId);
          ps.setInt(2, index);
        });
  }

  /**
   * Images derived from the image, generation by generation, at most {@code maxDepth} generations
   * down (1: its children).
   */
  public List<Node> descendants(UUID jobId, int index, int maxDepth) {
    return query(
        "read the descendants of image " + index + " of job " + jobId,
        DESCENDANTS,
        ps -> {
          ps.setObject(1, jobId);
          ps.setInt(2, index);
          ps.setInt(3, Math.min(maxDepth, MAX_DEPTH));
        });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<Node> query(String what, String sql, Binder binder) {
    return DatabaseFailures.withConnection(
        ds,
        what,
        c -> {
          List<Node> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(node(rs));
              }
            }
          }
          return out;
        });
  }

  private static Node node(ResultSet rs) throws SQLException {
    return new Node(
        rs.getInt("depth"),
        rs.getObject("id", UUID.class),
        rs.getInt("idx"),
        rs.getString("team"),
        rs.getString("state"),
        rs.getString("prompt"),
        rs.getString("derivation"),
        rs.getObject("parent_job_id", UUID.class),
        rs.getObject("parent_idx", Integer.class),
        rs.getLong("seed"),
        rs.getObject("seed_offset", Long.class),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getInt("steps"),
        rs.getString("step_profile"),
        rs.getDouble("guidance"),
        rs.getString("model"),
        rs.getObject("quality", Double.class),
        rs.getString("storage_key"),
        rs.getString("verdict"),
        rs.getObject("rating", Integer.class));
  }
}
