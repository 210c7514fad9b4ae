package dev.turbofarm.coordinator.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/v1/openapi}: the API contract, the one public endpoint under {@code /api/v1}. The
 * document and Swagger UI live on the management interface (so Swagger UI never reaches the public
 * port); this serves the same document on the API port for people and clients who have only that.
 */
@Path("/api/v1/openapi")
public class OpenApiResource {
  static final String YAML = "application/yaml";

  private final OpenApiDocumentService documents;

  OpenApiResource(OpenApiDocumentService documents) {
    this.documents = documents;
  }

  /** YAML by default; JSON with {@code ?format=json} or {@code Accept: application/json}. */
  @GET
  @Produces({YAML, "application/json"})
  // Public on purpose: the contract says how to authenticate, and holds no data of any team.
  @PermitAll
  @Operation(hidden = true)
  public Response document(
      @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    boolean json =
        format != null
            ? format.equalsIgnoreCase("json")
            : accept != null && accept.contains("json") && !accept.contains("yaml");
    byte[] doc =
        documents.getDocument(
            OpenApiFilter.DEFAULT_DOCUMENT_NAME, json ? Format.JSON : Format.YAML);
    return Response.ok(doc, json ? "application/json" : YAML + ";charset=UTF-8").build();
  }
}
