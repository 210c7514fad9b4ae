package dev.turbofarm.coordinator.webhook.service;

/** A webhook URL or address the policy refuses; the message says why, after "webhook ". */
public final class WebhookRefusedException extends RuntimeException {
  public WebhookRefusedException(String message) {
    super(message);
  }
}
