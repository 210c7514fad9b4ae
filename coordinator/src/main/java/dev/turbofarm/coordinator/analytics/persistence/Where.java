package dev.turbofarm.coordinator.analytics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A WHERE clause built condition by condition, with its parameters in order. */
final class Where {
  private final List<String> conditions = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();

  /** A condition with one {@code ?} per parameter. */
  Where add(String condition, Object... values) {
    conditions.add(condition);
    params.addAll(List.of(values));
    return this;
  }

  /** {@code column = ?} when {@code value} is not null. */
  Where eq(String column, Object value) {
    if (value != null) {
      add(column + " = ?", value);
    }
    return this;
  }

  /** {@code WHERE a AND b ...}, or nothing. */
  String sql() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** {@code AND a AND b ...}, or nothing: after a WHERE of the caller's. */
  String and() {
    return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
  }

  List<Object> params() {
    return params;
  }

  /** Binds the parameters from position {@code first}; returns the next free position. */
  int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
    int i = first;
    for (Object p : params) {
      bindOne(c, ps, i++, p);
    }
    return i;
  }

  static void bindOne(Connection c, PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof Instant t) {
      ps.setTimestamp(i, Timestamp.from(t));
    } else if (p instanceof LocalDate d) {
      ps.setObject(i, d);
    } else if (p instanceof UUID u) {
      ps.setObject(i, u);
    } else if (p instanceof List<?> l) {
      ps.setArray(i, c.createArrayOf("text", l.toArray()));
    } else {
      ps.setObject(i, p);
    }
  }
}
