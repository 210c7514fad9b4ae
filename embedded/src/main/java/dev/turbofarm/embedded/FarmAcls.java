package dev.turbofarm.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a farm's broker, as ACLs for the StandardAuthorizer: the coordinator owns the
 * {@code turbofarm.} and {@code dlq.turbofarm.} topics (prefixed ACLs: it creates them, is the only
 * writer of jobs, reads results and heartbeats, writes and reads the dead letters) and its consumer
 * groups, and configures the workers' share group; a worker may only read jobs through the share
 * group and write results and heartbeats (literal ACLs, so no new topic is ever open to it). The
 * compose file's {@code kafka-setup} service grants the same with {@code kafka-acls.sh} ({@link
 * #kafkaAclsCommands} writes those lines; a test checks the compose file has them).
 */
public final class FarmAcls {
  /** Topic names and group names are repeated here: embedded/ does not depend on common/. */
  static final String TOPIC_PREFIX = "turbofarm.";

  static final String DLQ_PREFIX = "dlq.turbofarm.";
  static final String COORDINATOR_GROUP_PREFIX = "turbofarm-coordinator";
  static final String WORKER_SHARE_GROUP = "turbofarm-workers";

  /** The interactive lane's share group (issue 14). */
  static final String WORKER_INTERACTIVE_SHARE_GROUP = "turbofarm-workers-interactive";

  static final String JOBS = "turbofarm.jobs";

  /** Each model's jobs topics, bulk and interactive: {@code turbofarm.jobs.<model>} (ADR 0012). */
  static final String MODEL_JOBS_PREFIX = "turbofarm.jobs.";

  static final String RESULTS = "turbofarm.results";
  static final String RESULTS_INTERACTIVE = "turbofarm.results.interactive";
  static final String HEARTBEATS = "turbofarm.heartbeats";

  /** SCRAM iterations of a new credential: Kafka's minimum for SCRAM-SHA-512 is 4096. */
  private static final int ITERATIONS = 8192;

  private FarmAcls() {}

  /** The coordinator's ACLs. */
  public static List<AclBinding> coordinator(String user) {
    List<AclBinding> out = new ArrayList<>();
    for (String prefix : List.of(TOPIC_PREFIX, DLQ_PREFIX)) {
      for (AclOperation op :
          List.of(
              AclOperation.CREATE,
              AclOperation.DESCRIBE,
              AclOperation.DESCRIBE_CONFIGS,
              AclOperation.READ,
              AclOperation.WRITE)) {
        out.add(allow(user, ResourceType.TOPIC, prefix, PatternType.PREFIXED, op));
      }
    }
    out.add(
        allow(
            user,
            ResourceType.GROUP,
            COORDINATOR_GROUP_PREFIX,
            PatternType.PREFIXED,
            AclOperation.READ));
    for (String group : List.of(WORKER_SHARE_GROUP, WORKER_INTERACTIVE_SHARE_GROUP)) {
      for (AclOperation op :
          List.of(
              AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)) {
        out.add(allow(user, ResourceType.GROUP, group, PatternType.LITERAL, op));
      }
    }
    return out;
  }

  /**
   * A worker's ACLs: read jobs (the model-less topic and every model's, bulk and interactive) in
   * the two share groups, write results and heartbeats; nothing else, and never write a job.
   */
  public static List<AclBinding> worker(String user) {
    return List.of(
        allow(user, ResourceType.TOPIC, JOBS, PatternType.LITERAL, AclOperation.READ),
        allow(user, ResourceType.TOPIC, JOBS, PatternType.LITERAL, AclOperation.DESCRIBE),
        allow(user, ResourceType.TOPIC, MODEL_JOBS_PREFIX, PatternType.PREFIXED, AclOperation.READ),
        allow(
            user,
            ResourceType.TOPIC,
            MODEL_JOBS_PREFIX,
            PatternType.PREFIXED,
            AclOperation.DESCRIBE),
        allow(user, ResourceType.GROUP, WORKER_SHARE_GROUP, PatternType.LITERAL, AclOperation.READ),
        allow(
            user,
            ResourceType.GROUP,
            WORKER_INTERACTIVE_SHARE_GROUP,
            PatternType.LITERAL,
            AclOperation.READ),
        allow(user, ResourceType.TOPIC, RESULTS, PatternType.LITERAL, AclOperation.WRITE),
        allow(user, ResourceType.TOPIC, RESULTS, PatternType.LITERAL, AclOperation.DESCRIBE),
        allow(
            user, ResourceType.TOPIC, RESULTS_INTERACTIVE, PatternType.LITERAL, AclOperation.WRITE),
        allow(
            user,
            ResourceType.TOPIC,
            RESULTS_INTERACTIVE,
            PatternType.LITERAL,
            AclOperation.DESCRIBE),
        allow(user, ResourceType.TOPIC, HEARTBEATS, PatternType.LITERAL, AclOperation.WRITE),
        allow(user, ResourceType.TOPIC, HEARTBEATS, PatternType.LITERAL, AclOperation.DESCRIBE));
  }

  /**
   * Creates (or replaces) the two SCRAM users and grants them their ACLs, through an admin client
   * of a super user.
   */
  public static void apply(
      Admin admin,
      String coordinatorUser,
      String coordinatorPassword,
      String workerUser,
      String workerPassword)
      throws Exception {
    ScramCredentialInfo scram = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS);
    admin
        .alterUserScramCredentials(
            List.of(
                new UserScramCredentialUpsertion(coordinatorUser, scram, coordinatorPassword),
                new UserScramCredentialUpsertion(workerUser, scram, workerPassword)))
        .all()
        .get(30, TimeUnit.SECONDS);
    List<AclBinding> acls = new ArrayList<>(coordinator(coordinatorUser));
    acls.addAll(worker(workerUser));
    admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
  }

  /**
   * The same ACLs as {@code kafka-acls.sh} command lines (without the connection options), one per
   * binding, as docker-compose.yml's set-up step has them: the user names are the variables {@code
   * $COORDINATOR} and {@code $WORKER}, written {@code $$} as compose escapes a shell's {@code $}.
   */
  public static List<String> kafkaAclsCommands() {
    List<String> out = new ArrayList<>();
    for (AclBinding b : coordinator("$$COORDINATOR")) {
      out.add(command(b));
    }
    for (AclBinding b : worker("$$WORKER")) {
      out.add(command(b));
    }
    return out;
  }

  private static String command(AclBinding b) {
    ResourcePattern r = b.pattern();
    String resource =
        switch (r.resourceType()) {
          case TOPIC -> "--topic " + r.name();
          case GROUP -> "--group " + r.name();
          default -> throw new IllegalArgumentException("no command for " + r);
        };
    return "kafka-acls.sh --add --allow-principal "
        + b.entry().principal()
        + " --operation "
        + operationName(b.entry().operation())
        + " "
        + resource
        + " --resource-pattern-type "
        + r.patternType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** kafka-acls.sh spells operations in CamelCase: DescribeConfigs, AlterConfigs, Read... */
  private static String operationName(AclOperation op) {
    StringBuilder sb = new StringBuilder();
    for (String part : op.name().split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return sb.toString();
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
  }
}
