package dev.turbofarm.coordinator.dispatch.service;

import dev.turbofarm.common.messaging.JobMessage;
import java.util.List;

/**
 * Sends job messages and returns once the broker has acknowledged every one: implemented by the
 * messaging layer, called inside the dispatch transaction so a failed send rolls the claim back.
 */
@FunctionalInterface
public interface JobSender {
  void sendAll(List<JobMessage> jobs) throws Exception;
}
