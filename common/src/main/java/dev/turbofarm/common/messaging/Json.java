package dev.turbofarm.common.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON codec for Kafka messages, shared so both sides agree on the wire format. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          // Newer writers may add fields; old readers must not choke on them.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  public static byte[] write(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decodes a message.
   *
   * @throws MalformedMessageException when the bytes are not a valid message of that type
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new MalformedMessageException(
          "not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** A message on a topic that cannot be decoded: poison, never worth a retry. */
  public static final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
