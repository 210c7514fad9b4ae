package dev.turbofarm.coordinator.dispatch.persistence;

import dev.turbofarm.coordinator.error.DatabaseFailures;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;

/**
 * {@code LISTEN job_queued}: the triggers NOTIFY on every insert, re-queue, finished dispatch and
 * resume, so the dispatcher sleeps until there is work instead of polling. A listening connection
 * is held outside any transaction for as long as the dispatcher runs.
 */
@ApplicationScoped
public class QueueListener {
  static final String CHANNEL = "job_queued";

  /** Only when an interactive job is queued (V51): the interactive dispatcher thread's channel. */
  static final String INTERACTIVE_CHANNEL = "job_interactive";

  private final AgroalDataSource ds;

  QueueListener(AgroalDataSource ds) {
    this.ds = ds;
  }

  /** Opens a listening connection; close it when done, or when a wait failed. */
  public Listening listen() {
    return listen(CHANNEL);
  }

  /** Listens for interactive jobs only. */
  public Listening listenInteractive() {
    return listen(INTERACTIVE_CHANNEL);
  }

  private Listening listen(String channel) {
    Connection c = DatabaseFailures.connect(ds);
    try {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + channel);
      }
      return new Listening(c, channel);
    } catch (SQLException e) {
      Listening.closeQuietly(c);
      throw DatabaseFailures.translate("LISTEN " + channel, e);
    }
  }

  /** One listening connection. */
  public static final class Listening implements AutoCloseable {
    private final Connection c;
    private final String channel;

    private Listening(Connection c, String channel) {
      this.c = c;
      this.channel = channel;
    }

    /** Returns at once if a NOTIFY came since the last call; else waits up to {@code max}. */
    public void await(Duration max) {
      try {
        c.unwrap(PGConnection.class).getNotifications((int) max.toMillis());
      } catch (SQLException e) {
        throw DatabaseFailures.translate("wait for " + channel, e);
      }
    }

    @Override
    public void close() {
      closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already broken; nothing to release.
      }
    }
  }
}
