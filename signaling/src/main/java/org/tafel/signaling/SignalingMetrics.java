package org.tafel.signaling;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tafel.protocol.metrics.Counter;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.ErrorCode;

/** The signaling counters; labels are constants (error codes), never identifiers. */
public final class SignalingMetrics {
  private final MetricsRegistry registry;
  private final Counter envelopesIn;
  private final Counter envelopesOut;
  private final Counter acked;
  private final Counter expired;
  private final Counter receiptsOut;
  private final Counter logins;
  private final Counter registrations;
  private final Counter replaced;
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

  public SignalingMetrics(MetricsRegistry registry) {
    this.registry = registry;
    envelopesIn =
        registry.counter(
            "tafel_signaling_envelopes_in_total",
            "Envelope copies accepted (one per recipient of a send).");
    envelopesOut =
        registry.counter("tafel_signaling_envelopes_out_total", "Envelope copies delivered.");
    acked =
        registry.counter("tafel_signaling_envelopes_acked_total", "Envelope copies acknowledged.");
    expired =
        registry.counter(
            "tafel_signaling_envelopes_expired_total", "Envelope copies expired unacknowledged.");
    receiptsOut =
        registry.counter("tafel_signaling_receipts_out_total", "Expired receipts delivered.");
    logins = registry.counter("tafel_signaling_logins_total", "Successful logins.");
    registrations =
        registry.counter("tafel_signaling_registrations_total", "Identities registered.");
    replaced =
        registry.counter(
            "tafel_signaling_sessions_replaced_total", "Sessions closed by a newer login.");
    for (ErrorCode c : ErrorCode.values()) {
      errors.put(
          c,
          registry.counter(
              "tafel_signaling_errors_total", "Error frames sent, by code.", "code", c.wire()));
    }
  }

  public void gauge(String name, String help, LongSupplier value) {
    registry.gauge(name, help, value);
  }

  public void envelopesIn(int n) {
    envelopesIn.add(n);
  }

  public void delivered() {
    envelopesOut.increment();
  }

  public void acked() {
    acked.increment();
  }

  public void expired(int n) {
    expired.add(n);
  }

  public void receiptDelivered() {
    receiptsOut.increment();
  }

  public void login() {
    logins.increment();
  }

  public void registered() {
    registrations.increment();
  }

  public void replaced() {
    replaced.increment();
  }

  public void error(ErrorCode code) {
    errors.get(code).increment();
  }
}
