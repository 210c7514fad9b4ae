package dev.turbofarm.coordinator.error;

import dev.turbofarm.common.job.FieldError;
import jakarta.transaction.RollbackException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;

/**
 * The one place that decides, by exception type and SQLState, whether a database failure is
 * retriable ({@link DatabaseUnavailableException}) or not ({@link DatabaseException}). Every
 * repository gets its connections and translates its {@link SQLException}s here, so no caller above
 * the persistence layer sees JDBC's checked exceptions or has to guess from message text.
 */
public final class DatabaseFailures {
  private static final Logger LOG = Logger.getLogger(DatabaseFailures.class);

  /**
   * SQLState classes a retry can cure: 08 connection exception, 40 transaction rollback
   * (serialization failure, deadlock), 53 insufficient resources (too many connections), 57
   * operator intervention (admin or crash shutdown, cannot connect now).
   */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57");

  /** SQLState 55P03, lock not available: another transaction holds the row for a moment. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private DatabaseFailures() {}

  /**
   * A connection from the pool (within a transaction, the one enlisted in it). Failing to get one
   * means PostgreSQL is down or every connection is busy past the acquisition timeout: either way
   * the request did nothing and a retry can succeed, whatever the pool's exception says.
   *
   * @throws DatabaseUnavailableException when no connection could be had
   */
  public static Connection connect(DataSource ds) {
    try {
      return ds.getConnection();
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("no database connection: " + describe(e), e);
    }
  }

  /** JDBC work on one connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection from the pool (within a transaction, the one enlisted in it)
   * and translates its failures: the repositories' one way into PostgreSQL.
   *
   * @param what the operation, for the log: "record results", "claim jobs"...
   * @throws DatabaseUnavailableException when a retry can help
   * @throws DatabaseException when it cannot
   */
  public static <T> T withConnection(DataSource ds, String what, SqlWork<T> work) {
    try (Connection c = connect(ds)) {
      return work.apply(c);
    } catch (SQLException e) {
      throw translate(what, e);
    }
  }

  /**
   * The typed failure for a failed database operation.
   *
   * @param what the operation, for the log: "record results", "claim jobs"...
   */
  public static RuntimeException translate(String what, SQLException e) {
    String message = what + " failed: " + describe(e);
    if (isTransient(e)) {
      return new DatabaseUnavailableException(message, e);
    }
    if (badData(e.getSQLState())) {
      // A value the input rules should have stopped: the caller's input, not the coordinator,
      // and never worth a retry. Logged, as it means a check is missing.
      LOG.warnf("refusing input the database cannot store (%s); a check is missing", message);
      return new InvalidInputProblem(
          List.of(
              new FieldError(
                  "request",
                  "holds a value the database cannot store ("
                      + e.getMessage()
                      + "); check text fields for control characters and numbers for their"
                      + " ranges")));
    }
    return new DatabaseException(message, e);
  }

  /**
   * SQLStates of values PostgreSQL refuses to store: 22001 string too long, 22003 number out of
   * range, 22007/22008 bad date or time, 22021 a byte sequence that is not UTF-8 (a NUL among
   * them), 22P02 bad text for its type, 22P05 a character the encoding lacks.
   */
  private static final Set<String> BAD_DATA_STATES =
      Set.of("22001", "22003", "22007", "22008", "22021", "22P02", "22P05");

  private static boolean badData(String state) {
    return state != null && BAD_DATA_STATES.contains(state);
  }

  /**
   * Whether {@code e} or a cause is PostgreSQL refusing a value ({@link #BAD_DATA_STATES}), as
   * Hibernate's repositories let it through.
   */
  public static boolean isBadData(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && badData(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a retry can cure this failure: by type (JDBC's and Hibernate's), then by SQLState,
   * through its causes. A transaction rolled back at commit ({@link RollbackException}: its
   * connection broke, or it ran past its timeout) stored nothing, so a retry can help too.
   */
  public static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseUnavailableException
          || t instanceof SQLTransientException
          || t instanceof SQLRecoverableException
          || t instanceof RollbackException
          // Hibernate ORM's own (the key and audit tables): no connection could be had, or a
          // lock or deadlock victim; each stored nothing.
          || t instanceof JDBCConnectionException
          || t instanceof LockAcquisitionException) {
        return true;
      }
      if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean transientState(String state) {
    return state != null
        && state.length() == 5
        && (TRANSIENT_CLASSES.contains(state.substring(0, 2)) || LOCK_NOT_AVAILABLE.equals(state));
  }

  private static String describe(SQLException e) {
    return e.getSQLState() == null
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (SQLState " + e.getSQLState() + ")";
  }
}
