package dev.turbofarm.coordinator.http;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The SQL side of a newest-first list paged by {@link PageCursor} (jobs, batches): filters added
 * one by one with their arguments, then {@code (created_at, id) < cursor}, the order and the limit,
 * run in one statement. Each repository keeps its own table's columns and row mapping.
 */
public final class KeysetSql {
  /** Reads one row of the list. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final StringBuilder sql;
  private final List<Object> args = new ArrayList<>();

  /** Starts from {@code SELECT ... FROM table}; every filter is ANDed onto it. */
  public KeysetSql(String selectFrom) {
    this.sql = new StringBuilder(selectFrom).append(" WHERE true");
  }

  /**
   * Only these teams' rows; null for every team. One team is a plain equality, so the per-team
   * index returns the rows already in order (ANY would sort).
   */
  public KeysetSql teams(Set<String> teams) {
    if (teams == null) {
      return this;
    }
    if (teams.size() == 1) {
      return where("team = ?", teams.iterator().next());
    }
    return where("team = ANY (?)", teams.toArray(String[]::new));
  }

  /** {@code expression = ANY (values)}; nothing when {@code values} is empty. */
  public KeysetSql anyOf(String expression, Set<String> values) {
    return values.isEmpty()
        ? this
        : where(expression + " = ANY (?)", values.toArray(String[]::new));
  }

  /** {@code expression <> ALL (values)}; nothing when {@code values} is empty. */
  public KeysetSql noneOf(String expression, Set<String> values) {
    return values.isEmpty()
        ? this
        : where(expression + " <> ALL (?)", values.toArray(String[]::new));
  }

  /** Created at or after {@code from} and before {@code to}; a null bound is no bound. */
  public KeysetSql created(OffsetDateTime from, OffsetDateTime to) {
    return where("created_at >= ?", from).where("created_at < ?", to);
  }

  /** {@code AND clause} with its one argument; nothing when the argument is null. */
  public KeysetSql where(String clause, Object arg) {
    if (arg != null) {
      sql.append(" AND ").append(clause);
      args.add(arg);
    }
    return this;
  }

  /** The rows after {@code after} (null: the first page), newest first, at most {@code limit}. */
  public <T> List<T> page(DataSource ds, String what, PageCursor after, int limit, Row<T> row) {
    if (after != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      args.add(after.createdAt());
      args.add(after.id());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return DatabaseFailures.withConnection(
        ds,
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof String[] arr) {
                ps.setArray(i + 1, c.createArrayOf("text", arr));
              } else {
                ps.setObject(i + 1, a);
              }
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(row.read(rs));
              }
            }
            return out;
          }
        });
  }
}
