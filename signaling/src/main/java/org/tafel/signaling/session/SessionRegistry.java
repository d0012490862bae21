package org.tafel.signaling.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live session of each logged-in identity. */
public final class SessionRegistry {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** Makes {@code session} the live one of {@code identity}; returns the one it replaces. */
  Session put(String identity, Session session) {
    return sessions.put(identity, session);
  }

  void remove(String identity, Session session) {
    sessions.remove(identity, session);
  }

  public Session get(String identity) {
    return sessions.get(identity);
  }

  public int size() {
    return sessions.size();
  }
}
