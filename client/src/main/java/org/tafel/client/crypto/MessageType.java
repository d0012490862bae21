package org.tafel.client.crypto;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The type inside a sealed plaintext, and the queue class an envelope of that type must travel in.
 * A receiver refuses a type in any other class: a server that moved a call offer into the normal
 * queue could otherwise ring a phone days later.
 */
public enum MessageType {
  TEXT("text", QueueClass.NORMAL),
  FILE("file", QueueClass.NORMAL),
  CALL_OFFER("call-offer", QueueClass.SHORT_LIVED),
  CALL_RINGING("call-ringing", QueueClass.SHORT_LIVED),
  CALL_ANSWER("call-answer", QueueClass.SHORT_LIVED),
  CALL_CANDIDATES("call-candidates", QueueClass.SHORT_LIVED),
  CALL_HANGUP("call-hangup", QueueClass.SHORT_LIVED),
  TYPING("typing", QueueClass.NO_QUEUE);

  private static final Map<String, MessageType> BY_NAME =
      Stream.of(values()).collect(Collectors.toMap(MessageType::wireName, Function.identity()));

  private final String wireName;
  private final QueueClass queueClass;

  MessageType(String wireName, QueueClass queueClass) {
    this.wireName = wireName;
    this.queueClass = queueClass;
  }

  /** The ASCII name in the sealed plaintext, e.g. {@code call-offer}. */
  public String wireName() {
    return wireName;
  }

  public QueueClass queueClass() {
    return queueClass;
  }

  public static Optional<MessageType> fromWireName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
