package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_FAILED;
import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.EXIT_USAGE;
import static dev.turbofarm.launcher.BatchCommands.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turbofarm.common.security.ApiKeySecrets;
import dev.turbofarm.launcher.BatchCommands.CliException;
import dev.turbofarm.launcher.BatchCommands.Target;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farm keys}: API keys for people. {@code create}, {@code list} and {@code revoke} call a
 * running coordinator with an admin key; {@code bootstrap} writes a production database's first
 * admin key directly (once, before any admin key exists); {@code generate} prints a fresh key for a
 * secret store ({@code TURBOFARM_SECURITY_BOOTSTRAP_ADMIN_KEY}).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys; bootstrap a database's first admin key.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Revoke.class,
      KeysCommand.Bootstrap.class,
      KeysCommand.Generate.class
    })
public final class KeysCommand {

  /** {@code 30d}, {@code 12h}, {@code 90m}: a lifetime. */
  private static final Pattern LIFETIME = Pattern.compile("(\\d{1,6})([dhm])");

  /**
   * When a key made now with {@code expires} stops working: a lifetime ({@code 30d}, {@code 12h},
   * {@code 90m}) or an ISO-8601 instant; null for never.
   */
  static OffsetDateTime expiry(String expires, OffsetDateTime now) {
    if (expires == null || expires.isBlank()) {
      return null;
    }
    Matcher m = LIFETIME.matcher(expires.strip().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
          };
      return now.plus(d);
    }
    try {
      return OffsetDateTime.parse(expires.strip());
    } catch (DateTimeParseException e) {
      throw new CliException(
          EXIT_USAGE,
          "--expires is '"
              + expires
              + "'; give a lifetime (30d, 12h, 90m) or an ISO-8601 time (2027-01-31T00:00:00Z)");
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a key on the running coordinator; prints its secret once (stdout), the rest on"
              + " stderr.")
  static final class Create implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--team", required = true, description = "the key's team")
    String team;

    @Option(names = "--role", required = true, description = "submitter, analyst or admin")
    String role;

    @Option(names = "--name", description = "who holds it (default: <role> of <team>)")
    String name;

    @Option(
        names = "--teams",
        split = ",",
        description = "further teams an analyst key may read, comma-separated")
    java.util.List<String> teams;

    @Option(names = "--expires", description = "lifetime (30d, 12h, 90m) or ISO-8601 time")
    String expires;

    @Option(names = "--rate-limit", description = "requests/s for this key (default: the role's)")
    Integer rateLimit;

    @Override
    public Integer call() throws Exception {
      return BatchCommands.run(
          () -> {
            ObjectNode body = FarmClient.json().createObjectNode();
            body.put("name", name != null ? name : role + " of " + team);
            body.put("role", role);
            body.put("team", team);
            ArrayNode t = body.putArray("teams");
            if (teams != null) {
              teams.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(t::add);
            }
            if (rateLimit != null) {
              body.put("rateLimit", rateLimit);
            }
            OffsetDateTime until = expiry(expires, OffsetDateTime.now(ZoneOffset.UTC));
            if (until != null) {
              body.put("expiresAt", until.toString());
            }
            HttpResponse<String> r =
                target.send(
                    HttpRequest.newBuilder(target.resolve("/api/v1/admin/keys"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            JsonNode created = expect(r, 201, "POST /api/v1/admin/keys");
            JsonNode k = created.path("key");
            System.err.printf(
                "key %s created for %s: %s of team %s%s; store the secret below now, it is never"
                    + " shown again%n",
                k.path("id").asText(),
                k.path("name").asText(),
                k.path("role").asText(),
                k.path("team").asText(),
                k.hasNonNull("expiresAt") ? ", expires " + k.path("expiresAt").asText() : "");
            System.out.println(created.path("secret").asText());
            return EXIT_OK;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys (never their secrets), newest first.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin Target target;

    @Option(names = "--revoked", description = "include revoked keys")
    boolean revoked;

    @Override
    public Integer call() throws Exception {
      return BatchCommands.run(
          () -> {
            HttpResponse<String> r =
                target.send(
                    HttpRequest.newBuilder(target.resolve("/api/v1/admin/keys?revoked=" + revoked))
                        .GET());
            print(expect(r, 200, "GET /api/v1/admin/keys"), System.out);
            return EXIT_OK;
          });
    }
  }

  /** The key list as a table. */
  static void print(JsonNode keys, PrintStream out) {
    out.printf(
        "%-36s  %-9s  %-8s  %-9s  %-16s  %-20s  %-25s  %-25s  %s%n",
        "ID", "PREFIX", "STATE", "ROLE", "TEAM", "NAME", "EXPIRES", "LAST USED", "TEAMS");
    for (JsonNode k : keys) {
      StringBuilder teams = new StringBuilder();
      k.path("teams").forEach(t -> teams.append(teams.length() == 0 ? "" : ",").append(t.asText()));
      out.printf(
          "%-36s  %-9s  %-8s  %-9s  %-16s  %-20s  %-25s  %-25s  %s%n",
          k.path("id").asText(),
          k.path("prefix").asText(),
          k.path("state").asText(),
          k.path("role").asText(),
          k.path("team").asText(),
          k.path("name").asText(),
          k.hasNonNull("expiresAt") ? k.path("expiresAt").asText() : "never",
          k.hasNonNull("lastUsedAt") ? k.path("lastUsedAt").asText() : "never",
          teams);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a key: it stops working within 30 s on every coordinator replica.")
  static final class Revoke implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(paramLabel = "ID", description = "the key's id (farm keys list)")
    String id;

    @Override
    public Integer call() throws Exception {
      return BatchCommands.run(
          () -> {
            try {
              UUID.fromString(id);
            } catch (IllegalArgumentException e) {
              throw new CliException(EXIT_USAGE, "'" + id + "' is not a key id (a UUID)");
            }
            HttpResponse<String> r =
                target.send(
                    HttpRequest.newBuilder(target.resolve("/api/v1/admin/keys/" + id)).DELETE());
            JsonNode k = expect(r, 200, "DELETE /api/v1/admin/keys/" + id);
            System.out.printf(
                "key %s (%s) revoked at %s%n",
                k.path("id").asText(), k.path("name").asText(), k.path("revokedAt").asText());
            return EXIT_OK;
          });
    }
  }

  @Command(
      name = "bootstrap",
      mixinStandardHelpOptions = true,
      description =
          "Write a first admin key straight into a coordinator's database (its schema must exist:"
              + " start the coordinator once); prints the secret once.")
  static final class Bootstrap implements Callable<Integer> {
    @Option(names = "--jdbc-url", required = true, description = "the coordinator's database")
    String jdbcUrl;

    @Option(
        names = "--db-user",
        defaultValue = "${env:FARM_DB_USER}",
        description = "database user (env FARM_DB_USER)")
    String user;

    @Option(
        names = "--db-password",
        defaultValue = "${env:FARM_DB_PASSWORD}",
        description = "database password (env FARM_DB_PASSWORD)")
    String password;

    @Option(
        names = "--name",
        defaultValue = "bootstrap admin",
        description = "who holds it (default ${DEFAULT-VALUE})")
    String name;

    @Option(
        names = "--team",
        defaultValue = "default",
        description = "the admin key's own team (default ${DEFAULT-VALUE})")
    String team;

    @Override
    public Integer call() throws Exception {
      return BatchCommands.run(
          () -> {
            String key = ApiKeySecrets.generate();
            UUID id = UUID.randomUUID();
            insert(jdbcUrl, user, password, id, key, name, team);
            System.err.printf(
                "admin key %s (%s, team %s) stored as a hash in %s; store the secret below now,"
                    + " it is never shown again%n",
                id, name, team, jdbcUrl);
            System.out.println(key);
            return EXIT_OK;
          });
    }
  }

  /** Stores an admin key's hash and an audit event in one transaction. */
  static void insert(
      String jdbcUrl, String user, String password, UUID id, String key, String name, String team) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO api_key (id, secret_hash, prefix, name, role, team, created_by)"
                      + " VALUES (?, ?, ?, ?, 'admin', ?, 'farm keys bootstrap')");
          PreparedStatement audit =
              c.prepareStatement(
                  "INSERT INTO audit_event (actor_id, actor_name, actor_role, actor_team, action,"
                      + " target, detail) VALUES ('bootstrap', 'farm keys bootstrap', 'admin', ?,"
                      + " 'key.bootstrap', ?, ?)")) {
        ps.setObject(1, id);
        ps.setString(2, ApiKeySecrets.hash(key));
        ps.setString(3, ApiKeySecrets.shown(key));
        ps.setString(4, name);
        ps.setString(5, team);
        ps.executeUpdate();
        audit.setString(1, team);
        audit.setString(2, "api-key:" + id);
        audit.setString(3, "name=" + name + " (direct database bootstrap)");
        audit.executeUpdate();
        c.commit();
      }
    } catch (SQLException e) {
      String hint =
          "42P01".equals(e.getSQLState())
              ? " (no api_key table: start the coordinator once so its migrations create it)"
              : "";
      throw new CliException(
          EXIT_FAILED, "cannot store the key in " + jdbcUrl + ": " + e.getMessage() + hint);
    }
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Print a new random key, for a secret store: TURBOFARM_SECURITY_BOOTSTRAP_ADMIN_KEY makes"
              + " it a coordinator's first admin key.")
  static final class Generate implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println(ApiKeySecrets.generate());
      return EXIT_OK;
    }
  }
}
