package dev.turbofarm.common.messaging;

import dev.turbofarm.common.job.FieldError;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.seed.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What every consumer checks on every record before acting on it: the schema header and version,
 * the required fields, and the ranges of {@link JobRules} (sizes, steps, guidance, seeds, text).
 * Whatever a producer sent, a record either passes here or is dead-lettered with the reason these
 * methods give; no consumer stalls or dies on it. Checks that need the job's row (the image index
 * within the job's image count, the live attempt, the job's own seed) are the coordinator's.
 */
public final class MessageRules {
  /** Longest worker id, host name or model id, characters: ids, not documents. */
  public static final int MAX_ID_CHARS = 200;

  /** Longest failure reason, characters; workers cut theirs to this length. */
  public static final int MAX_REASON_CHARS = 4000;

  /** Longest path a result may name, characters (it is checked, never stored as sent). */
  public static final int MAX_PATH_CHARS = 4096;

  /** Largest sampler batch any worker reports, images: far above any GPU's. */
  public static final int MAX_BATCH_SIZE = 1024;

  /** Most job ids one heartbeat may name, jobs. */
  public static final int MAX_JOBS_IN_FLIGHT = 10_000;

  /** Longest render of one batch a result may report, ms: 7 days. */
  public static final long MAX_RENDER_MS = 7L * 24 * 3600 * 1000;

  /** Longest queue wait a result may report, ms: 365 days. */
  public static final long MAX_QUEUE_WAIT_MS = 365L * 24 * 3600 * 1000;

  private MessageRules() {}

  /**
   * Decodes and checks a job record.
   *
   * @param schemaHeader the value of the record's {@link Topics#SCHEMA_HEADER}, null when absent
   * @throws Json.MalformedMessageException naming what is wrong
   */
  public static JobMessage job(byte[] schemaHeader, byte[] value) {
    checkHeader(schemaHeader, JobMessage.SCHEMA);
    JobMessage m = decode(value, JobMessage.class);
    List<FieldError> e = new ArrayList<>();
    if (m.schema() != JobMessage.SCHEMA) {
      e.add(
          new FieldError(
              "schema", "is " + m.schema() + "; this reader knows " + JobMessage.SCHEMA));
    }
    required("jobId", m.jobId(), e);
    if (m.attempt() < 1) {
      e.add(new FieldError("attempt", "is " + m.attempt() + "; must be at least 1"));
    }
    if (!JobRules.isTeamName(m.team())) {
      e.add(new FieldError("team", "is not a valid team name"));
    }
    prompt("prompt", m.prompt(), true, e);
    prompt("negativePrompt", m.negativePrompt(), false, e);
    name("profile", m.profile(), true, e);
    size("width", m.width(), e);
    size("height", m.height(), e);
    steps("steps", m.steps(), e);
    guidance(m.guidance(), e);
    if (m.seeds().isEmpty() || m.seeds().size() > JobRules.MAX_COUNT) {
      e.add(
          new FieldError(
              "seeds", "has " + m.seeds().size() + " entries; must be 1.." + JobRules.MAX_COUNT));
    }
    for (int i = 0; i < m.seeds().size(); i++) {
      seed("seeds[" + i + "]", m.seeds().get(i), e);
    }
    if (m.queuedAtMs() < 0 || m.dispatchedAtMs() < 0) {
      e.add(new FieldError("queuedAtMs", "timestamps must not be negative"));
    }
    JobMessage.Fallback f = m.fallback();
    if (f != null) {
      name("fallback.profile", f.profile(), true, e);
      size("fallback.width", f.width(), e);
      size("fallback.height", f.height(), e);
      steps("fallback.steps", f.steps(), e);
    }
    return valid(m, e);
  }

  /**
   * Decodes and checks a result record (without the job: see the class comment).
   *
   * @throws Json.MalformedMessageException naming what is wrong
   */
  public static ResultMessage result(byte[] schemaHeader, byte[] value) {
    checkHeader(schemaHeader, ResultMessage.SCHEMA_PATH, ResultMessage.SCHEMA);
    ResultMessage m = decode(value, ResultMessage.class);
    List<FieldError> e = new ArrayList<>();
    if (m.schema() < ResultMessage.SCHEMA_PATH || m.schema() > ResultMessage.SCHEMA) {
      e.add(
          new FieldError(
              "schema",
              "is "
                  + m.schema()
                  + "; this reader knows "
                  + ResultMessage.SCHEMA_PATH
                  + ".."
                  + ResultMessage.SCHEMA));
    }
    required("jobId", m.jobId(), e);
    if (m.attempt() < 1) {
      e.add(new FieldError("attempt", "is " + m.attempt() + "; must be at least 1"));
    }
    if (m.index() < 0 || m.index() >= JobRules.MAX_COUNT) {
      e.add(
          new FieldError("index", "is " + m.index() + "; must be 0.." + (JobRules.MAX_COUNT - 1)));
    }
    id("workerId", m.workerId(), true, e);
    if (m.status() == null) {
      e.add(new FieldError("status", "is required: SUCCEEDED or FAILED"));
    } else if (m.status() == ResultMessage.Status.FAILED) {
      if (m.reason() == null || m.reason().isBlank()) {
        e.add(new FieldError("reason", "is required for a failed image"));
      } else if (m.reason().length() > MAX_REASON_CHARS) {
        e.add(
            new FieldError(
                "reason",
                "is " + m.reason().length() + " characters; at most " + MAX_REASON_CHARS));
      } else {
        JobRules.checkText("reason", m.reason(), true, e);
      }
    } else {
      if (m.schema() >= 2) {
        // Schema 2 names where the image is stored; its key and checksums are checked by the
        // coordinator, which knows the store's key layout.
        if (m.storageKey() == null || m.storageKey().isBlank()) {
          e.add(new FieldError("storageKey", "is required for a rendered image"));
        } else if (m.storageKey().length() > MAX_PATH_CHARS) {
          e.add(new FieldError("storageKey", "is longer than " + MAX_PATH_CHARS + " characters"));
        } else {
          JobRules.checkText("storageKey", m.storageKey(), false, e);
        }
      } else if (m.path() == null || m.path().isBlank()) {
        e.add(new FieldError("path", "is required for a rendered image"));
      } else if (m.path().length() > MAX_PATH_CHARS) {
        e.add(new FieldError("path", "is longer than " + MAX_PATH_CHARS + " characters"));
      } else {
        JobRules.checkText("path", m.path(), false, e);
      }
      seed("seed", m.seed(), e);
      size("width", m.width(), e);
      size("height", m.height(), e);
      steps("steps", m.steps(), e);
      guidance(m.guidance(), e);
      id("modelId", m.modelId(), true, e);
      if (m.batchSize() < 1 || m.batchSize() > MAX_BATCH_SIZE) {
        e.add(
            new FieldError("batchSize", "is " + m.batchSize() + "; must be 1.." + MAX_BATCH_SIZE));
      }
      if (m.queueWaitMs() < 0 || m.queueWaitMs() > MAX_QUEUE_WAIT_MS) {
        e.add(
            new FieldError(
                "queueWaitMs", "is " + m.queueWaitMs() + "; must be 0.." + MAX_QUEUE_WAIT_MS));
      }
      if (m.renderMs() < 0 || m.renderMs() > MAX_RENDER_MS) {
        e.add(new FieldError("renderMs", "is " + m.renderMs() + "; must be 0.." + MAX_RENDER_MS));
      }
      if (m.quality() != null && !(m.quality() >= 0 && m.quality() <= 1)) {
        e.add(new FieldError("quality", "is " + m.quality() + "; must be 0..1 or absent"));
      }
      if (m.sharpness() != null && !(m.sharpness() >= 0 && Double.isFinite(m.sharpness()))) {
        e.add(
            new FieldError(
                "sharpness", "is " + m.sharpness() + "; must be a finite number >= 0 or absent"));
      }
      if (m.fallbackProfile() != null) {
        name("fallbackProfile", m.fallbackProfile(), true, e);
      }
    }
    if (m.finishedAtMs() < 0) {
      e.add(new FieldError("finishedAtMs", "is " + m.finishedAtMs() + "; must not be negative"));
    }
    return valid(m, e);
  }

  /**
   * Decodes and checks a heartbeat record.
   *
   * @throws Json.MalformedMessageException naming what is wrong
   */
  public static Heartbeat heartbeat(byte[] schemaHeader, byte[] value) {
    checkHeader(schemaHeader, Heartbeat.SCHEMA);
    Heartbeat h = decode(value, Heartbeat.class);
    List<FieldError> e = new ArrayList<>();
    if (h.schema() != Heartbeat.SCHEMA) {
      e.add(
          new FieldError("schema", "is " + h.schema() + "; this reader knows " + Heartbeat.SCHEMA));
    }
    id("workerId", h.workerId(), true, e);
    id("host", h.host(), true, e);
    if (h.state() == null) {
      e.add(new FieldError("state", "is required"));
    }
    id("modelId", h.modelId(), false, e);
    if (h.maxBatchSize() < 0 || h.maxBatchSize() > MAX_BATCH_SIZE) {
      e.add(
          new FieldError(
              "maxBatchSize", "is " + h.maxBatchSize() + "; must be 0.." + MAX_BATCH_SIZE));
    }
    if (h.currentBatch() < 0 || h.currentBatch() > MAX_BATCH_SIZE) {
      e.add(
          new FieldError(
              "currentBatch", "is " + h.currentBatch() + "; must be 0.." + MAX_BATCH_SIZE));
    }
    if (h.jobsInFlight().size() > MAX_JOBS_IN_FLIGHT) {
      e.add(
          new FieldError(
              "jobsInFlight",
              "names " + h.jobsInFlight().size() + " jobs; at most " + MAX_JOBS_IN_FLIGHT));
    }
    if (h.imagesRendered() < 0) {
      e.add(new FieldError("imagesRendered", "must not be negative"));
    }
    if (!(h.imagesPerSecond() >= 0 && Double.isFinite(h.imagesPerSecond()))) {
      e.add(new FieldError("imagesPerSecond", "must be a finite number >= 0"));
    }
    if (h.heapUsedBytes() < 0 || h.rssBytes() < 0) {
      e.add(new FieldError("heapUsedBytes", "memory figures must not be negative"));
    }
    if (h.sentAtMs() <= 0) {
      e.add(new FieldError("sentAtMs", "is " + h.sentAtMs() + "; must be a time after 1970"));
    }
    if (h.memoryBudgetPixels() != null && h.memoryBudgetPixels() < 0) {
      e.add(new FieldError("memoryBudgetPixels", "must not be negative"));
    }
    if (h.control() != null && !WorkerCommand.Command.isApplied(h.control())) {
      e.add(
          new FieldError(
              "control", "is '" + h.control() + "'; must be one of " + WorkerCommand.APPLIED));
    }
    return valid(h, e);
  }

  /**
   * Decodes and checks an admin command to a worker ({@link Topics#CONTROL}).
   *
   * @throws Json.MalformedMessageException naming what is wrong
   */
  public static WorkerCommand workerCommand(byte[] schemaHeader, byte[] value) {
    checkHeader(schemaHeader, WorkerCommand.SCHEMA);
    WorkerCommand c = decode(value, WorkerCommand.class);
    List<FieldError> e = new ArrayList<>();
    if (c.schema() != WorkerCommand.SCHEMA) {
      e.add(
          new FieldError(
              "schema", "is " + c.schema() + "; this reader knows " + WorkerCommand.SCHEMA));
    }
    id("workerId", c.workerId(), true, e);
    if (c.command() == null) {
      e.add(new FieldError("command", "is required"));
    }
    if (c.reason() != null && c.reason().length() > MAX_REASON_CHARS) {
      e.add(new FieldError("reason", "is longer than " + MAX_REASON_CHARS + " characters"));
    }
    if (c.issuedAtMs() <= 0) {
      e.add(new FieldError("issuedAtMs", "is " + c.issuedAtMs() + "; must be a time after 1970"));
    }
    return valid(c, e);
  }

  /** The one-byte schema header a producer adds to each record. */
  public static byte[] schemaHeader(int schema) {
    return new byte[] {(byte) schema};
  }

  private static void checkHeader(byte[] header, int expected) {
    checkHeader(header, expected, expected);
  }

  private static void checkHeader(byte[] header, int min, int max) {
    String expected = min == max ? Integer.toString(max) : min + ".." + max;
    if (header == null) {
      throw new Json.MalformedMessageException(
          "has no " + Topics.SCHEMA_HEADER + " header; its producer is too old or not ours", null);
    }
    if (header.length != 1 || header[0] < min || header[0] > max) {
      throw new Json.MalformedMessageException(
          Topics.SCHEMA_HEADER
              + " header says schema "
              + (header.length == 1 ? Integer.toString(header[0]) : header.length + " bytes")
              + "; this reader knows "
              + expected,
          null);
    }
  }

  private static <T> T decode(byte[] value, Class<T> type) {
    if (value == null || value.length == 0) {
      throw new Json.MalformedMessageException(
          "has no value; a " + type.getSimpleName() + " was expected", null);
    }
    T m = Json.read(value, type);
    if (m == null) {
      throw new Json.MalformedMessageException(
          "is JSON null; a " + type.getSimpleName() + " was expected", null);
    }
    return m;
  }

  private static <T> T valid(T message, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new Json.MalformedMessageException(
          "invalid "
              + message.getClass().getSimpleName()
              + ": "
              + errors.stream()
                  .map(x -> x.field() + ": " + x.problem())
                  .collect(Collectors.joining("; ")),
          null);
    }
    return message;
  }

  private static void required(String field, UUID value, List<FieldError> e) {
    if (value == null) {
      e.add(new FieldError(field, "is required"));
    }
  }

  private static void id(String field, String value, boolean required, List<FieldError> e) {
    if (value == null) {
      if (required) {
        e.add(new FieldError(field, "is required"));
      }
      return;
    }
    if (value.isBlank() && required) {
      e.add(new FieldError(field, "must not be empty"));
    } else if (value.length() > MAX_ID_CHARS) {
      e.add(new FieldError(field, "is " + value.length() + " characters; at most " + MAX_ID_CHARS));
    } else {
      JobRules.checkText(field, value, false, e);
    }
  }

  private static void name(String field, String value, boolean required, List<FieldError> e) {
    if (value == null || value.isBlank()) {
      if (required) {
        e.add(new FieldError(field, "is required"));
      }
    } else if (value.length() > JobRules.MAX_PROFILE_CHARS) {
      e.add(
          new FieldError(
              field,
              "is " + value.length() + " characters; at most " + JobRules.MAX_PROFILE_CHARS));
    } else {
      JobRules.checkText(field, value, false, e);
    }
  }

  private static void prompt(String field, String value, boolean required, List<FieldError> e) {
    if (value == null || value.isBlank()) {
      if (required) {
        e.add(new FieldError(field, "must not be empty"));
      }
      return;
    }
    if (value.length() > JobRules.MAX_PROMPT_CHARS) {
      e.add(
          new FieldError(
              field, "is " + value.length() + " characters; at most " + JobRules.MAX_PROMPT_CHARS));
    } else {
      JobRules.checkText(field, value, true, e);
    }
  }

  private static void size(String field, int value, List<FieldError> e) {
    if (!JobRules.validSize(value)) {
      e.add(
          new FieldError(
              field,
              "is "
                  + value
                  + "; must be a multiple of "
                  + JobRules.SIZE_MULTIPLE
                  + " from "
                  + JobRules.MIN_SIZE
                  + " to "
                  + JobRules.MAX_SIZE));
    }
  }

  private static void steps(String field, int value, List<FieldError> e) {
    if (value < JobRules.MIN_STEPS || value > JobRules.MAX_STEPS) {
      e.add(
          new FieldError(
              field,
              "is " + value + "; must be " + JobRules.MIN_STEPS + ".." + JobRules.MAX_STEPS));
    }
  }

  private static void guidance(double value, List<FieldError> e) {
    if (!(value >= JobRules.MIN_GUIDANCE && value <= JobRules.MAX_GUIDANCE)) {
      e.add(
          new FieldError(
              "guidance",
              "is " + value + "; must be " + JobRules.MIN_GUIDANCE + ".." + JobRules.MAX_GUIDANCE));
    }
  }

  private static void seed(String field, Long value, List<FieldError> e) {
    if (value == null || value < 0 || value > Seeds.MAX_SEED) {
      e.add(new FieldError(field, "is " + value + "; must be 0.." + Seeds.MAX_SEED));
    }
  }
}
