package dev.turbofarm.coordinator;

import static dev.turbofarm.coordinator.TestKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JSON bodies are read strictly and every text obeys the text rule, single jobs and catalogue rows
 * alike: each mistake is a 400 problem naming the field, never a silent default and never a 500.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class StrictInputTest {
  @TestHTTPResource("/")
  URL base;

  /** The tests' team: every request goes with its submitter key. */
  private static final String TEAM = "strict-input";

  private static io.restassured.specification.RequestSpecification given() {
    return TestKeys.asSubmitter(TEAM);
  }

  private static JsonPath job400(String body) {
    return given()
        .contentType("application/json")
        .body(body)
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .extract()
        .jsonPath();
  }

  @Test
  void aTypoInAFieldNameIsA400NotTheProfilesWidth() {
    JsonPath p = job400("{\"prompt\":\"a red mug\",\"widht\":1024}");
    assertThat(p.getList("errors.field", String.class)).containsExactly("widht");
    assertThat(p.getString("errors[0].problem")).contains("is not a known field").contains("width");
  }

  @Test
  void aKeyGivenTwiceIsA400NamingIt() {
    JsonPath p = job400("{\"prompt\":\"a red mug\",\"width\":512,\"width\":1024}");
    assertThat(p.getList("errors.field", String.class)).containsExactly("width");
    assertThat(p.getString("errors[0].problem")).contains("Duplicate field 'width'");
  }

  @Test
  void fractionsStringsAndNullsWhereNumbersBelongAreNamed() {
    assertThat(job400("{\"prompt\":\"a red mug\",\"width\":512.5}").getString("errors[0].field"))
        .isEqualTo("width");
    assertThat(job400("{\"prompt\":\"a red mug\",\"steps\":10.0}").getString("errors[0].field"))
        .isEqualTo("steps");
    assertThat(job400("{\"prompt\":\"a red mug\",\"seed\":\"42\"}").getString("errors[0].field"))
        .isEqualTo("seed");
    assertThat(job400("{\"prompt\":\"a red mug\",\"count\":true}").getString("errors[0].field"))
        .isEqualTo("count");
    assertThat(job400("{\"prompt\":42}").getString("errors[0].field")).isEqualTo("prompt");
    assertThat(
            job400("{\"prompt\":\"a red mug\",\"width\":99999999999}").getString("errors[0].field"))
        .isEqualTo("width");
    assertThat(job400("{\"prompt\":\"a red mug\"} trailing").getString("errors[0].field"))
        .isEqualTo("body");
  }

  @Test
  void controlCharactersAndUnpairedSurrogatesInAnyTextAreNamed() {
    JsonPath nul = job400("{\"prompt\":\"a red\\u0000mug\"}");
    assertThat(nul.getString("errors[0].field")).isEqualTo("prompt");
    assertThat(nul.getString("errors[0].problem")).contains("U+0000");
    assertThat(
            job400("{\"prompt\":\"a mug\",\"negativePrompt\":\"\\ud800\"}")
                .getString("errors[0].field"))
        .isEqualTo("negativePrompt");
    assertThat(
            job400("{\"prompt\":\"a mug\",\"team\":\"shop\\u001b\"}").getString("errors[0].field"))
        .isEqualTo("team");
    // Tabs and line breaks are what a pasted prompt carries: accepted.
    given()
        .contentType("application/json")
        .body("{\"prompt\":\"a red mug\\n\\ton a white table\\r\\n\"}")
        .when()
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
  }

  @Test
  void aNulInAQueryParameterIsA400NamingIt() {
    given()
        .contentType("text/csv")
        .body("sku,prompt\na,a red mug\n")
        .when()
        .queryParam("name", "bad\u0000name")
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"));
    asAdmin()
        .when()
        .get("/api/v1/admin/dead-letters?limit=many")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("limit"));
  }

  @Test
  void aBadRowInAcceptValidModeIsRejectedAloneWithItsColumn() {
    String csv =
        "sku,prompt,color\n"
            + "ok-1,a red mug,red\n"
            + "nul-1,a red\u0000mug,red\n"
            + "ok-2,a blue mug,blue\n";
    JsonPath a =
        given()
            .contentType("text/csv")
            .body(csv.getBytes(StandardCharsets.UTF_8))
            .when()
            .post("/api/v1/batches?mode=accept-valid")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    assertThat(a.getInt("accepted")).isEqualTo(2);
    assertThat(a.getInt("rejectedCount")).isEqualTo(1);
    assertThat(a.getInt("rejected[0].line")).isEqualTo(3);
    assertThat(a.getString("rejected[0].field")).isEqualTo("prompt");
    assertThat(a.getString("rejected[0].problem")).contains("U+0000");
    // The same in JSON Lines, through a template column, and a SKU with a control character.
    String ndjson =
        "{\"sku\":\"ok-3\",\"color\":\"red\"}\n"
            + "{\"sku\":\"nul-2\",\"color\":\"re\\u0000d\"}\n"
            + "{\"sku\":\"bell\\u0007\",\"color\":\"red\"}\n";
    JsonPath b =
        given()
            .contentType("application/x-ndjson")
            .body(ndjson.getBytes(StandardCharsets.UTF_8))
            .when()
            .queryParam("mode", "accept-valid")
            .queryParam("template", "{color} mug")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    assertThat(b.getInt("accepted")).isEqualTo(1);
    List<Map<String, Object>> rejected = b.getList("rejected");
    assertThat(rejected)
        .extracting(r -> r.get("line") + ":" + r.get("field"))
        .containsExactlyInAnyOrder("2:color", "3:sku");
  }

  @Test
  void aTemplateStopsAtThePromptLimitAndNamesEachMissingColumnOnce() {
    String csv = "sku,w\nlong,aaaaaaaaaa\nmissing,\n";
    String template = "{w} ".repeat(250) + "{absent} {absent} {absent}";
    JsonPath r =
        given()
            .contentType("text/csv")
            .body(csv)
            .queryParam("template", template)
            .when()
            .post("/api/v1/batches")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();
    List<Map<String, Object>> rejected = r.getList("rejected");
    assertThat(rejected)
        .filteredOn(e -> ((Integer) e.get("line")) == 2)
        .extracting(e -> e.get("field") + ": " + e.get("problem"))
        .containsExactly(
            "prompt: the template makes a prompt of more than 2000 characters from this row");
    assertThat(rejected)
        .filteredOn(e -> ((Integer) e.get("line")) == 3)
        .extracting(e -> (String) e.get("field"))
        .containsExactly("w", "absent");
  }

  @Test
  void aCatalogueThatIsNotUtf8IsA400() {
    byte[] latin1 = "sku,prompt\na,une tasse \u00e9cru\n".getBytes(StandardCharsets.ISO_8859_1);
    given()
        .contentType("text/csv")
        .body(latin1)
        .when()
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .body("detail", containsString("UTF-8"));
  }

  @Test
  void anOverSizeBodyIsAProblemJson413() throws Exception {
    // Announced past the limit (64 MB): refused before a byte of it is read.
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      // The answer comes before the body is sent, and the server closes the connection.
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                  + "Content-Length: 100000000\r\n\r\nsku,prompt\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413");
      assertThat(answer).contains("application/problem+json");
      assertThat(answer).contains("\"status\":413").contains("max-body-size");
    }
  }

  @Test
  void aContentTypeThatIsNoMediaTypeIsA415AndTheConnectionServesTheNextRequest() throws Exception {
    // The refused body is read and dropped: closing with it unread would reset the connection,
    // which can destroy the 415 before the client reads it.
    String body = "{\"prompt\":\"a red mug\"}";
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: not a type\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body
                  + "GET /api/v1/openapi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answers).startsWith("HTTP/1.1 415");
      assertThat(answers).contains("not a type");
      assertThat(answers.indexOf("HTTP/1.1 200"))
          .as("the second request's answer on the same connection:%n%s", answers)
          .isPositive();
    }
  }

  @Test
  void aNulNeverReachesTheDatabaseWhateverTheBodysMediaType() {
    try {
      for (String type :
          List.of(
              "application/json",
              "application/problem+json",
              "text/plain",
              "*/*",
              "application/octet-stream")) {
        int status =
            asAdmin()
                .contentType(type)
                .body("{\"reason\":\"a\\u0000b\"}".getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/admin/dispatch/pause")
                .then()
                .contentType(
                    org.hamcrest.Matchers.anyOf(
                        org.hamcrest.Matchers.startsWith("application/problem+json"),
                        org.hamcrest.Matchers.startsWith("application/json")))
                .extract()
                .statusCode();
        assertThat(status).as(type).isIn(400, 415);
      }
      asAdmin()
          .contentType("application/json")
          .body("{}")
          .header("Accept", ";;;")
          .when()
          .get("/api/v1/profiles")
          .then()
          .statusCode(406)
          .contentType("application/problem+json");
      asAdmin()
          .contentType(";;;")
          .body("{}".getBytes(StandardCharsets.UTF_8))
          .when()
          .post("/api/v1/jobs")
          .then()
          .statusCode(415)
          .contentType("application/problem+json");
    } finally {
      asAdmin().when().post("/api/v1/admin/dispatch/resume");
    }
  }

  @Test
  void aDeadLetterListOfAnUnknownSourceNamesIt() {
    asAdmin()
        .when()
        .get("/api/v1/admin/dead-letters?source=kafka")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("source"))
        .body("errors", hasSize(1));
  }
}
