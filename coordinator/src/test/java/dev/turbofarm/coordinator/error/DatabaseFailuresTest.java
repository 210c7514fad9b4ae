package dev.turbofarm.coordinator.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.transaction.RollbackException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Retriable versus fatal, decided by type and SQLState only, in one place. */
class DatabaseFailuresTest {

  @Test
  void connectionRollbackResourceAndShutdownStatesAreRetriable() {
    for (String state :
        new String[] {"08001", "08006", "40001", "40P01", "53300", "57P01", "55P03"}) {
      assertThat(DatabaseFailures.translate("x", new SQLException("m", state)))
          .as(state)
          .isInstanceOf(DatabaseUnavailableException.class);
    }
  }

  @Test
  void aValueTheDatabaseCannotStoreIsTheCallersBadInputNotA500() {
    // 22021: a NUL or other bytes that are not UTF-8; 22001: too long; 22003: out of range.
    for (String state : new String[] {"22021", "22001", "22003", "22P02", "22P05"}) {
      assertThat(DatabaseFailures.translate("x", new SQLException("m", state)))
          .as(state)
          .isInstanceOf(InvalidInputProblem.class);
      assertThat(DatabaseFailures.isBadData(new RuntimeException(new SQLException("m", state))))
          .isTrue();
    }
  }

  @Test
  void constraintAndOtherFailuresAreFatal() {
    for (String state : new String[] {"23505", "23514", "42P01", "XX000"}) {
      assertThat(DatabaseFailures.translate("x", new SQLException("m", state)))
          .as(state)
          .isInstanceOf(DatabaseException.class);
    }
    assertThat(DatabaseFailures.translate("x", new SQLException("no state")))
        .isInstanceOf(DatabaseException.class);
  }

  @Test
  void transientTypesAndTransientCausesAreRetriable() {
    assertThat(DatabaseFailures.isTransient(new SQLTransientConnectionException("t"))).isTrue();
    assertThat(DatabaseFailures.isTransient(new SQLRecoverableException("r"))).isTrue();
    // The pool's own timeout carries no SQLState; the refused connection behind it does.
    assertThat(
            DatabaseFailures.isTransient(
                new SQLException("pool timeout", new SQLException("refused", "08001"))))
        .isTrue();
    // A commit the transaction manager rolled back stored nothing.
    assertThat(DatabaseFailures.isTransient(new RollbackException("connection lost at commit")))
        .isTrue();
    assertThat(DatabaseFailures.isTransient(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void hibernatesConnectionAndLockFailuresAreRetriableByType() {
    // Neither carries a SQLException with a SQLState here: the type alone decides.
    assertThat(
            DatabaseFailures.isTransient(
                new org.hibernate.exception.JDBCConnectionException(
                    "Unable to acquire JDBC Connection", new SQLException("acquisition timeout"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                new org.hibernate.exception.LockAcquisitionException(
                    "lock", new SQLException("lock"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isTransient(
                new org.hibernate.exception.ConstraintViolationException(
                    "dup", new SQLException("dup"), "api_key_secret_hash_key")))
        .isFalse();
  }

  @Test
  void noConnectionFromThePoolIsAnOutageWhateverItsMessage() {
    DataSource down = new FailingDataSource(new SQLException("Sorry, acquisition timeout!"));
    assertThatThrownBy(() -> DatabaseFailures.connect(down))
        .isInstanceOf(DatabaseUnavailableException.class)
        .satisfies(e -> assertThat(UnavailableProblem.isRetriable(e)).isTrue());
  }

  /** A data source whose every connection attempt fails. */
  private record FailingDataSource(SQLException failure) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw failure;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw failure;
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
