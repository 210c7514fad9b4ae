package dev.turbofarm.common.fake;

/** A deliberate violation for ArchitectureRulesTest; never part of the checked main code. */
public final class CommonUsingKafka {
  void send(org.apache.kafka.clients.producer.Producer<String, String> producer) {}
}
