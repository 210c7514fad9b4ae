package dev.turbofarm.common.messaging;

import java.util.List;

/**
 * An admin's command to one worker on {@link Topics#CONTROL}, keyed by the worker id; the newest
 * command for a worker is the one in force (docs/adr/0017-worker-control.md).
 *
 * @param schema message schema version, {@link #SCHEMA}
 * @param workerId the worker it is for
 * @param command what the worker should do
 * @param reason why, for the worker's log and the admin list; null for none
 * @param issuedAtMs when the coordinator issued it, epoch milliseconds
 */
public record WorkerCommand(
    int schema, String workerId, Command command, String reason, long issuedAtMs) {

  public static final int SCHEMA = 1;

  /** The commands a heartbeat may report as applied ({@link Heartbeat#control()}). */
  public static final List<String> APPLIED = List.of("CORDONED", "DRAINING", "QUARANTINED");

  /** What a worker does about jobs. */
  public enum Command {
    /** Take jobs as usual (uncordon, release). */
    RUN(null),
    /** Take no new jobs; the batch in progress finishes. Reversible with {@link #RUN}. */
    CORDON("CORDONED"),
    /** Finish what it holds, take nothing more, then idle until {@link #RUN} or stopped. */
    DRAIN("DRAINING"),
    /** Take no jobs: its renders kept failing while other workers succeeded. */
    QUARANTINE("QUARANTINED");

    private final String applied;

    Command(String applied) {
      this.applied = applied;
    }

    /** The name a heartbeat reports while this command is in force; null for {@link #RUN}. */
    public String applied() {
      return applied;
    }

    /** Whether this command stops the worker from taking jobs. */
    public boolean pauses() {
      return this != RUN;
    }

    /** Whether {@code name} is what a heartbeat may report in {@code control}. */
    public static boolean isApplied(String name) {
      return APPLIED.contains(name);
    }
  }
}
