package dev.turbofarm.coordinator.http;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a newest-first page of a list ended: the last row's {@code (created_at, id)}, sent to the
 * client as an opaque token ({@code after}) and decoded on the next request. Keyset rather than
 * offset: each page is one index range read however deep the client pages, and rows inserted
 * meanwhile neither repeat nor shift a page.
 *
 * @param createdAt the last row's creation time (microseconds, PostgreSQL's precision)
 * @param id the last row's id, the tie-breaker between rows created in the same microsecond
 */
public record PageCursor(OffsetDateTime createdAt, UUID id) {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The token for the client: base64url of {@code <epoch microseconds>:<id>}. */
  public String token() {
    Instant t = createdAt.toInstant();
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
    return ENCODER.encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Decodes a client's token.
   *
   * @param field the parameter that carried it, named in the 400
   * @return null for a blank token (the first page)
   * @throws InvalidInputProblem for a token this server did not make
   */
  public static PageCursor parse(String field, String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    try {
      String s = new String(DECODER.decode(token.trim()), StandardCharsets.US_ASCII);
      int colon = s.indexOf(':');
      long micros = Long.parseLong(s.substring(0, colon));
      UUID id = UUID.fromString(s.substring(colon + 1));
      return new PageCursor(
          OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC),
          id);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw InvalidInputProblem.of(
          field, "is not a cursor of this list; pass the 'next' value of the previous page as is");
    }
  }
}
