package dev.turbofarm.coordinator.image.rest;

import dev.turbofarm.coordinator.error.RangeNotSatisfiableProblem;
import dev.turbofarm.coordinator.image.service.ImageDownloads;
import dev.turbofarm.coordinator.image.service.StoredFile;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP for a stored image or thumbnail: {@code ETag} (its SHA-256) and {@code If-None-Match} (304),
 * one {@code Range} (206, 416), {@code Content-Length}, an immutable private cache lifetime (the
 * bytes behind a URL never change), and the body streamed from the result store. Several ranges in
 * one request are answered with the whole image (RFC 9110 allows ignoring Range).
 */
final class Downloads {
  /** A year, the longest lifetime caches honour, s; the bytes behind a URL never change. */
  static final String CACHE_CONTROL = "private, max-age=31536000, immutable";

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private Downloads() {}

  static Response serve(
      ImageDownloads downloads, StoredFile f, String range, String ifNoneMatch, boolean redirect) {
    String etag = f.etag() == null ? null : '"' + f.etag() + '"';
    if (etag != null && ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      return Response.notModified()
          .header("ETag", etag)
          .header("Cache-Control", CACHE_CONTROL)
          .build();
    }
    if (redirect) {
      Optional<URI> to = downloads.redirect(f);
      if (to.isPresent()) {
        return Response.status(Response.Status.FOUND)
            .location(to.get())
            .header("Cache-Control", "private, no-store")
            .build();
      }
    }
    long length = f.length();
    long start = 0;
    long end = length - 1;
    boolean partial = false;
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          // bytes=-N: the last N bytes
          long n = Long.parseLong(m.group(2));
          if (n == 0) {
            throw unsatisfiable(range, length);
          }
          start = Math.max(0, length - n);
        } else {
          start = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) {
            end = Math.min(end, Long.parseLong(m.group(2)));
          }
        }
        if (start >= length || end < start) {
          throw unsatisfiable(range, length);
        }
        partial = true;
      }
    }
    long from = start;
    long count = end - start + 1;
    StreamingOutput body =
        out -> {
          try (InputStream in = downloads.open(f, from, count)) {
            in.transferTo(out);
          }
        };
    Response.ResponseBuilder r =
        Response.status(partial ? 206 : 200)
            .entity(body)
            .type(f.contentType())
            .header("Content-Length", Long.toString(count))
            .header("Accept-Ranges", "bytes")
            .header("Cache-Control", CACHE_CONTROL)
            .header("Content-Disposition", "inline; filename=\"" + f.fileName() + "\"");
    if (etag != null) {
      r.header("ETag", etag);
    }
    if (partial) {
      r.header("Content-Range", "bytes " + start + "-" + end + "/" + length);
    }
    return r.build();
  }

  private static RangeNotSatisfiableProblem unsatisfiable(String range, long length) {
    return new RangeNotSatisfiableProblem(
        "Range '" + range + "' is outside the image of " + length + " bytes", length);
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String t : ifNoneMatch.split(",")) {
      String tag = t.trim();
      if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
