package dev.turbofarm.coordinator.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.job.FieldError;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed problems become the documented problem+json answers; the mapper knows no feature. */
class ProblemMapperTest {
  private final ProblemMapper mapper = new ProblemMapper();
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode body(Response r) {
    assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    return json.valueToTree(r.getEntity());
  }

  @Test
  void eachProblemKeepsItsStatusTypeAndTitle() {
    Map<ApiProblem, String[]> cases = new LinkedHashMap<>();
    cases.put(
        InvalidInputProblem.of("width", "must be a multiple of 64"),
        new String[] {"400", "invalid-request", "Invalid request"});
    cases.put(new NotFoundProblem("no job x"), new String[] {"404", "not-found", "Not found"});
    cases.put(new ConflictProblem("job x is QUEUED"), new String[] {"409", "conflict", "Conflict"});
    cases.put(
        new TooLargeProblem("too many rows"),
        new String[] {"413", "too-large", "Request too large"});
    cases.put(
        new QuotaExceededProblem("team t"),
        new String[] {"429", "quota-exceeded", "Queue quota exceeded"});
    cases.put(
        new UnavailableProblem("broker gone"),
        new String[] {"503", "unavailable", "Service unavailable"});
    for (Map.Entry<ApiProblem, String[]> c : cases.entrySet()) {
      Response r = mapper.problem(c.getKey());
      JsonNode b = body(r);
      assertThat(r.getStatus()).isEqualTo(Integer.parseInt(c.getValue()[0]));
      assertThat(b.get("status").asInt()).isEqualTo(r.getStatus());
      assertThat(b.get("type").asText())
          .isEqualTo("https://turbofarm.dev/problems/" + c.getValue()[1]);
      assertThat(b.get("title").asText()).isEqualTo(c.getValue()[2]);
      assertThat(b.get("detail").asText()).isEqualTo(c.getKey().getMessage());
    }
  }

  @Test
  void invalidInputNamesEveryFieldAndExtensionsSitBesideTheMembers() {
    ApiProblem rows =
        new InvalidInputProblem(
            "3 of 10 rows are invalid", List.of(new FieldError("line 2: sku", "is required"))) {
          @Override
          public Map<String, Object> extensions() {
            return Map.of("rejectedCount", 3);
          }
        };
    JsonNode b = body(mapper.problem(rows));
    assertThat(b.get("errors").get(0).get("field").asText()).isEqualTo("line 2: sku");
    assertThat(b.get("errors").get(0).get("problem").asText()).isEqualTo("is required");
    assertThat(b.get("rejectedCount").asInt()).isEqualTo(3);
    assertThat(b.has("extensions")).as("extensions are flattened, not nested").isFalse();
  }

  @Test
  void databaseOutagesAre503WithRetryAfterWhereverTheyAreWrapped() {
    RuntimeException outage =
        DatabaseFailures.translate("read job", new SQLException("Connection refused", "08001"));
    Response direct = mapper.problem((ApiProblem) outage);
    assertThat(direct.getStatus()).isEqualTo(503);
    assertThat(direct.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(body(direct).get("detail").asText()).contains("database is unreachable");

    Response wrapped =
        mapper.unexpected(
            new IllegalStateException(
                "commit failed", new SQLTransientConnectionException("pool closed")));
    assertThat(wrapped.getStatus()).isEqualTo(503);
    Response typedInside =
        mapper.unexpected(
            new RuntimeException("interceptor", new ConflictProblem("job is QUEUED")));
    assertThat(typedInside.getStatus()).isEqualTo(409);
  }

  @Test
  void aBugIsA500WithoutItsMessage() {
    Response r = mapper.unexpected(new NullPointerException("secret internals"));
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(body(r).get("detail").asText()).doesNotContain("secret internals");
    Response constraint =
        mapper.unexpected(
            DatabaseFailures.translate("insert job", new SQLException("duplicate key", "23505")));
    assertThat(constraint.getStatus()).isEqualTo(500);
  }
}
