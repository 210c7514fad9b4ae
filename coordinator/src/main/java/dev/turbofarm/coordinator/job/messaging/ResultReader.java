package dev.turbofarm.coordinator.job.messaging;

import dev.turbofarm.common.messaging.Json.MalformedMessageException;
import dev.turbofarm.common.messaging.MessageRules;
import dev.turbofarm.common.messaging.ResultMessage;
import dev.turbofarm.store.StorageKeys;
import java.util.regex.Pattern;

/**
 * Decodes a result and checks what the image columns rest on; a record that fails is poison (the
 * consumer loop skips it, see kafka.ConsumerLoop). Schema 1 (a host path, no key) is read as it
 * was; from schema 2 a success must carry its SHA-256, size and CRC-32, and a storage key equal to
 * the one derived from its job id and index (the key recorded is always the derived one). A path in
 * a message is never stored or served.
 */
final class ResultReader {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Images per job the job rules allow at most, plus room: an index past it is not a job's. */
  private static final int MAX_INDEX = 1000;

  private ResultReader() {}

  /**
   * The common {@link MessageRules#result} checks, then the store's.
   *
   * @param schemaHeader the record's schema header, null when absent
   */
  static ResultMessage read(byte[] schemaHeader, byte[] value) {
    ResultMessage m = MessageRules.result(schemaHeader, value);
    if (m.status() != ResultMessage.Status.SUCCEEDED || m.schema() < ResultMessage.SCHEMA) {
      return m;
    }
    if (m.index() < 0 || m.index() >= MAX_INDEX) {
      throw malformed("index " + m.index() + " is out of range", m);
    }
    String key = StorageKeys.image(m.jobId(), m.index());
    if (!key.equals(m.storageKey())) {
      throw malformed("storageKey " + m.storageKey() + " is not the job's key " + key, m);
    }
    if (m.sha256() == null || !SHA256.matcher(m.sha256()).matches()) {
      throw malformed("sha256 must be 64 lower-case hex digits", m);
    }
    if (m.bytes() == null || m.bytes() <= 0) {
      throw malformed("bytes must be positive", m);
    }
    if (m.crc32() == null || m.crc32() < 0 || m.crc32() > 0xFFFFFFFFL) {
      throw malformed("crc32 must be 0..2^32-1", m);
    }
    if (m.thumbnails() != null && !StorageKeys.THUMBNAIL_SIZES.containsAll(m.thumbnails())) {
      throw malformed("thumbnails " + m.thumbnails() + " are not sizes the worker makes", m);
    }
    return m;
  }

  private static MalformedMessageException malformed(String why, ResultMessage m) {
    return new MalformedMessageException(
        "not a valid result"
            + (m == null ? "" : " (job " + m.jobId() + ", image " + m.index() + ")")
            + ": "
            + why,
        null);
  }
}
