package dev.turbofarm.coordinator.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the generated OpenAPI document ({@code /api/v1/openapi}) into a contract people can
 * read: the two security schemes (API key, OIDC token) on every operation with the roles its
 * {@code @RolesAllowed} names (also written into its description), every problem type the API
 * answers with an example body, and request examples. Runs on the document the build generated.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUN)
public class ApiContract implements OASFilter {
  static final String API_KEY = "apiKey";
  static final String OIDC = "oidc";
  static final String PROBLEM = "Problem";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String TYPES = "https://turbofarm.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One problem type: its status, type, title and an example detail. */
  private record ProblemType(int status, String type, String title, String detail) {}

  /** Every problem type the API answers with, by status (docs/security.md, STYLE.md 6). */
  private static final List<ProblemType> PROBLEMS =
      List.of(
          new ProblemType(
              400,
              "invalid-request",
              "Invalid request",
              "width: is 1000; must be a multiple of 64 from 256 to 2048 (nearest: 1024)"),
          new ProblemType(
              400,
              "malformed-json",
              "Malformed JSON",
              "the request body is not valid JSON at line 1, column 22: Unexpected end-of-input"),
          new ProblemType(
              401,
              "unauthorized",
              "Unauthorized",
              "a valid credential is required: send 'Authorization: Bearer <API key or OIDC"
                  + " token>' (the key may be unknown, revoked or expired)"),
          new ProblemType(
              403,
              "forbidden",
              "Forbidden",
              "team: is 'shop', but this credential belongs to team 'garden'; leave it out or name"
                  + " your own team"),
          new ProblemType(
              404,
              "not-found",
              "Not found",
              "no job 3f2c1a9e-5b7d-4e0f-9a61-2d8c4b7e1f03 (another team's job is not found either)"),
          new ProblemType(
              409,
              "conflict",
              "Conflict",
              "job 3f2c1a9e-5b7d-4e0f-9a61-2d8c4b7e1f03 is SUCCEEDED, not FAILED: only dead letters"
                  + " are replayed"),
          new ProblemType(
              413,
              "too-large",
              "Request too large",
              "the catalogue has more than 200000 rows; split it into several batches"),
          new ProblemType(
              429,
              "rate-limited",
              "Too many requests",
              "this key may send 50 requests/s (bursts of 200); retry after 1 s"),
          new ProblemType(
              429,
              "quota-exceeded",
              "Queue quota exceeded",
              "team shop has 500000 queued jobs, its quota; wait for some to finish"),
          new ProblemType(
              503,
              "unavailable",
              "Service unavailable",
              "the job database is unreachable; nothing was accepted, retry shortly"),
          new ProblemType(
              500,
              "internal",
              "Internal error",
              "the coordinator failed unexpectedly; its log has the details"));

  @Override
  public void filterOpenAPI(OpenAPI api) {
    Components components = api.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      api.setComponents(components);
    }
    components.setSecuritySchemes(
        new LinkedHashMap<>(
            Map.of(
                API_KEY,
                OASFactory.createSecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("tf_<43 characters>")
                    .description(
                        "An API key: 'Authorization: Bearer tf_...'. Created by an admin (POST"
                            + " /api/v1/admin/keys, ./farm keys create); bound to one team and one"
                            + " role."),
                OIDC,
                OASFactory.createSecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .bearerFormat("JWT")
                    .description(
                        "An OIDC access token, where the site turned OIDC on; role and teams"
                            + " come from its claims (turbofarm.security.oidc.*)."))));
    components.addSchema(PROBLEM, problemSchema());
    for (ProblemType p : PROBLEMS) {
      components.addExample(p.type(), example(p));
    }
    if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
      return;
    }
    api.getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (path.startsWith("/api/v1/") && !path.equals("/api/v1/openapi")) {
                item.getOperations().forEach((method, op) -> complete(path, method, op));
              }
            });
  }

  private static void complete(String path, PathItem.HttpMethod method, Operation op) {
    Set<String> roles = new LinkedHashSet<>();
    if (op.getSecurity() != null) {
      for (SecurityRequirement r : op.getSecurity()) {
        if (r.getSchemes() != null) {
          r.getSchemes().values().forEach(roles::addAll);
        }
      }
    }
    List<String> needed = new ArrayList<>(roles);
    op.setSecurity(
        new ArrayList<>(
            List.of(
                OASFactory.createSecurityRequirement().addScheme(API_KEY, needed),
                OASFactory.createSecurityRequirement().addScheme(OIDC, needed))));
    String rolesLine =
        "Roles: "
            + (needed.isEmpty() ? "any authenticated caller" : String.join(", ", needed))
            + ".";
    op.setDescription(
        op.getDescription() == null || op.getDescription().isBlank()
            ? rolesLine
            : op.getDescription() + "\n\n" + rolesLine);

    boolean hasInput =
        op.getRequestBody() != null || op.getParameters() != null && !op.getParameters().isEmpty();
    if (hasInput) {
      respond(op, 400, "invalid-request", "malformed-json");
    }
    respond(op, 401, "unauthorized");
    respond(op, 403, "forbidden");
    if (path.contains("{")) {
      respond(op, 404, "not-found");
    }
    if (path.endsWith("/replay")) {
      respond(op, 409, "conflict");
    }
    if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/batches")) {
      respond(op, 413, "too-large");
      respond(op, 429, "rate-limited", "quota-exceeded");
    } else if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/jobs")) {
      respond(op, 429, "rate-limited", "quota-exceeded");
    } else {
      respond(op, 429, "rate-limited");
    }
    respond(op, 503, "unavailable");
    respond(op, 500, "internal");
    // Resources that build a Response declare no status: name the one they answer.
    if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/jobs")) {
      success(
          op,
          202,
          "Accepted: the job is durable in PostgreSQL; Location names it",
          "{\"id\":\"3f2c1a9e-5b7d-4e0f-9a61-2d8c4b7e1f03\",\"state\":\"QUEUED\","
              + "\"team\":\"shop\",\"prompt\":\"a red mug on a white background, studio photo\","
              + "\"profile\":\"draft\",\"width\":512,\"height\":512,\"steps\":10,"
              + "\"guidance\":6.0,\"count\":4,\"seeds\":[42,43,44,45],\"attempt\":0,"
              + "\"images\":[]}");
    } else if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/batches")) {
      success(
          op,
          202,
          "Accepted: every accepted job is durable; Location names the batch",
          "{\"id\":\"8d0e5c1b-2f4a-4c7e-b1d3-6a9f0e2c4b57\",\"team\":\"shop\","
              + "\"accepted\":300,\"images\":312,\"rejectedCount\":0,\"rejected\":[],"
              + "\"intakeMs\":95}");
    } else if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/admin/keys")) {
      success(
          op,
          201,
          "Created: the only answer that holds the secret",
          "{\"key\":{\"id\":\"6f1c0c7e-3a2b-4d5e-8f90-1a2b3c4d5e6f\",\"prefix\":\"tf_q8Zr2x\","
              + "\"name\":\"Dana (shop team)\",\"role\":\"submitter\",\"team\":\"shop\","
              + "\"teams\":[],\"state\":\"ACTIVE\"},"
              + "\"secret\":\"tf_q8Zr2xVv0bQmYt3k7Jc1sNwE5uHfLa9dRgP4oZi6yTe\"}");
    } else if (path.endsWith("/replay")) {
      success(op, 202, "Accepted: the job is QUEUED again with fresh attempts", null);
    }
    if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/jobs")) {
      exampleBody(
          op,
          "application/json",
          "{\"prompt\":\"a red mug on a white background, studio photo\","
              + "\"profile\":\"draft\",\"count\":4,\"seed\":42}");
    } else if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/admin/keys")) {
      exampleBody(
          op,
          "application/json",
          "{\"name\":\"Dana (shop team)\",\"role\":\"submitter\",\"team\":\"shop\","
              + "\"expiresAt\":\"2027-06-30T00:00:00Z\"}");
    } else if (method == PathItem.HttpMethod.POST && path.equals("/api/v1/batches")) {
      exampleBody(op, "text/csv", "sku,color,product,count\nS-1,red,mug,2\nS-2,blue,lamp,1\n");
    }
  }

  private static void respond(Operation op, int status, String... types) {
    if (op.getResponses() == null) {
      op.setResponses(OASFactory.createAPIResponses());
    }
    MediaType media =
        OASFactory.createMediaType()
            .schema(OASFactory.createSchema().ref("#/components/schemas/" + PROBLEM));
    StringBuilder what = new StringBuilder();
    for (String type : types) {
      ProblemType p =
          PROBLEMS.stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow();
      media.addExample(type, OASFactory.createExample().ref("#/components/examples/" + type));
      what.append(what.length() == 0 ? "" : "; ").append(p.title());
    }
    APIResponse r =
        OASFactory.createAPIResponse()
            .description(what.toString())
            .content(OASFactory.createContent().addMediaType(PROBLEM_JSON, media));
    op.getResponses().addAPIResponse(Integer.toString(status), r);
  }

  /** Replaces the generated 200 with the status the operation really answers. */
  private static void success(Operation op, int status, String description, String example) {
    if (op.getResponses() == null) {
      op.setResponses(OASFactory.createAPIResponses());
    }
    APIResponse ok = op.getResponses().getAPIResponse("200");
    op.getResponses().removeAPIResponse("200");
    APIResponse r = ok != null ? ok : OASFactory.createAPIResponse();
    r.setDescription(description);
    if (example != null) {
      r.setContent(
          OASFactory.createContent()
              .addMediaType(
                  "application/json", OASFactory.createMediaType().example(json(example))));
    }
    op.getResponses().addAPIResponse(Integer.toString(status), r);
  }

  private static void exampleBody(Operation op, String mediaType, String example) {
    if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) {
      return;
    }
    Content content = op.getRequestBody().getContent();
    MediaType m = content.getMediaType(mediaType);
    if (m != null) {
      m.setExample(mediaType.equals("application/json") ? json(example) : example);
    }
  }

  /** An example written as JSON text, as the object it stands for (not a string). */
  private static Object json(String example) {
    try {
      return JSON.readValue(example, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an example of the API contract is not JSON: " + example, e);
    }
  }

  private static Example example(ProblemType p) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPES + p.type());
    body.put("title", p.title());
    body.put("status", p.status());
    body.put("detail", p.detail());
    if (p.type().equals("invalid-request")) {
      body.put(
          "errors",
          List.of(
              Map.of(
                  "field",
                  "width",
                  "problem",
                  "is 1000; must be a multiple of 64 from 256 to 2048 (nearest: 1024)")));
    }
    return OASFactory.createExample().summary(p.title() + " (" + p.status() + ")").value(body);
  }

  private static Schema problemSchema() {
    return OASFactory.createSchema()
        .type(List.of(Schema.SchemaType.OBJECT))
        .description(
            "RFC 9457 problem document: the body of every error answer (application/problem+json)")
        .addProperty(
            "type",
            OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.STRING))
                .description("https://turbofarm.dev/problems/<kind>"))
        .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
        .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
        .addProperty(
            "detail",
            OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.STRING))
                .description("what went wrong this time, and what to do"))
        .addProperty(
            "errors",
            OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.ARRAY))
                .description("for bad input: each offending field and its problem")
                .items(
                    OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.OBJECT))
                        .addProperty(
                            "field",
                            OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                        .addProperty(
                            "problem",
                            OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))));
  }
}
