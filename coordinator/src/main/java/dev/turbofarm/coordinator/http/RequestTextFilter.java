package dev.turbofarm.coordinator.http;

import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Query and path parameters obey the same text rule as JSON bodies ({@link JobRules#textProblem}):
 * a {@code %00} in {@code ?name=} or any other parameter is a 400 naming the parameter, before a
 * resource sees it, so no parameter can carry a NUL to PostgreSQL.
 */
public class RequestTextFilter {

  @ServerRequestFilter
  public void checkParameters(UriInfo uri) {
    check(uri.getQueryParameters(), "query parameter");
    check(uri.getPathParameters(), "path segment");
  }

  private static void check(MultivaluedMap<String, String> params, String what) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String nameProblem = JobRules.textProblem(e.getKey(), false);
      if (nameProblem != null) {
        throw InvalidInputProblem.of("query", "a " + what + " name " + nameProblem);
      }
      for (String v : e.getValue()) {
        String problem = JobRules.textProblem(v, true);
        if (problem != null) {
          throw InvalidInputProblem.of(e.getKey(), problem);
        }
      }
    }
  }
}
