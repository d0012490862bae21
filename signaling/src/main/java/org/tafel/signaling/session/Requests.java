package org.tafel.signaling.session;

import java.util.ArrayList;
import java.util.List;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.discovery.DiscoveryIndex;
import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.StoredEnvelope;

/**
 * The requests of a logged-in session (docs/protocol.md §3): send, ack, lookup, credentials,
 * discovery. Runs on the session's event loop; store work goes through the committer or the store
 * executor.
 */
final class Requests {
  private final Session session;

  Requests(Session session) {
    this.session = session;
  }

  private SessionContext ctx() {
    return session.context();
  }

  void send(ClientFrame.Send s) {
    SignalingConfig.Limits limits = ctx().config().limits();
    if (s.recipients().size() > limits.maxRecipients()) {
      session.error(
          s.id(),
          ErrorCode.TOO_MANY_RECIPIENTS,
          "recipients: "
              + s.recipients().size()
              + " (expected: at most "
              + limits.maxRecipients()
              + ")");
      return;
    }
    for (ClientFrame.Recipient r : s.recipients()) {
      if (r.box().length > limits.maxBoxBytes()) {
        session.error(
            s.id(),
            ErrorCode.TOO_LARGE,
            "box: " + r.box().length + " bytes (expected: at most " + limits.maxBoxBytes() + ")");
        return;
      }
    }
    String sender = session.identity();
    if (!ctx().sendBuckets().apply(sender).tryTake()) {
      session.error(s.id(), ErrorCode.RATE_LIMITED, "send rate exceeded; retry later");
      return;
    }
    long arrived = ctx().clock().millis();
    long life =
        (s.queue() == QueueClass.NORMAL ? limits.normalLifetime() : limits.shortLifetime())
            .toMillis();
    if (s.ttl() != null) {
      life = Math.min(life, Math.multiplyExact(Math.min(s.ttl(), Long.MAX_VALUE / 1000), 1000L));
    }
    List<StoredEnvelope> copies = new ArrayList<>(s.recipients().size());
    for (ClientFrame.Recipient r : s.recipients()) {
      copies.add(
          new StoredEnvelope(
              0,
              r.to(),
              s.messageId(),
              sender,
              s.queue(),
              r.nonce(),
              r.box(),
              arrived,
              arrived + life));
    }
    String rid = s.id();
    boolean queued =
        ctx()
            .committer()
            .submit(
                new EnvelopeStore.Insert(sender, copies),
                o -> {
                  if (o instanceof EnvelopeStore.Inserted ins) {
                    ctx().metrics().envelopesIn(ins.copies().size());
                    ctx().router().inserted(ins);
                    session.emitFromAnyThread(new ServerFrame.Sent(rid, s.messageId()));
                  } else if (o instanceof EnvelopeStore.Refused r) {
                    session.emitFromAnyThread(new ServerFrame.Error(rid, r.code(), refusal(r)));
                    ctx().metrics().error(r.code());
                    if (r.code() == ErrorCode.REVOKED) {
                      session.closeFromAnyThread(CloseCodes.REVOKED, "revoked");
                    }
                  }
                });
    if (!queued) {
      session.error(rid, ErrorCode.INTERNAL, "server busy; retry later");
    }
  }

  private static String refusal(EnvelopeStore.Refused r) {
    return switch (r.code()) {
      case UNKNOWN_RECIPIENT -> "recipient " + r.recipient() + " is not an active identity";
      case QUEUE_FULL -> "the queue of recipient " + r.recipient() + " is full";
      case MESSAGE_ID_TAKEN ->
          "recipient " + r.recipient() + " has a queued envelope with this message ID";
      case REVOKED -> "this identity has been revoked";
      default -> r.code().description();
    };
  }

  void ack(ClientFrame.Ack a) {
    EnvelopeStore.Write w =
        a.recipient() == null
            ? new EnvelopeStore.Delete(session.identity(), a.messageId())
            : new EnvelopeStore.DeleteReceipt(session.identity(), a.messageId(), a.recipient());
    boolean queued =
        ctx()
            .committer()
            .submit(
                w,
                o -> {
                  if (o instanceof EnvelopeStore.Deleted d) {
                    if (d.existed() && a.recipient() == null) {
                      ctx().metrics().acked();
                    }
                    session.emitFromAnyThread(new ServerFrame.Acked(a.id(), a.messageId()));
                  } else {
                    session.emitFromAnyThread(
                        new ServerFrame.Error(a.id(), ErrorCode.INTERNAL, "ack not stored; retry"));
                    ctx().metrics().error(ErrorCode.INTERNAL);
                  }
                });
    if (!queued) {
      session.error(a.id(), ErrorCode.INTERNAL, "server busy; retry later");
    }
  }

  void lookup(ClientFrame.Lookup l) {
    session.offload(
        () -> ctx().identities().find(l.identity()),
        found -> {
          if (found.isEmpty()) {
            session.error(l.id(), ErrorCode.UNKNOWN_IDENTITY, "no identity with this ID");
          } else {
            session.emit(new ServerFrame.Key(l.id(), l.identity(), found.get().publicKey()), true);
          }
        });
  }

  void turnCredentials(ClientFrame.TurnCredentials t) {
    if (!ctx().credentials().turnAvailable()) {
      session.error(t.id(), ErrorCode.UNAVAILABLE, "no relay is configured");
      return;
    }
    session.emit(ctx().credentials().turn(t.id(), session.identity()), true);
  }

  void uploadToken(ClientFrame.UploadToken u) {
    if (!ctx().credentials().uploadsAvailable()) {
      session.error(u.id(), ErrorCode.UNAVAILABLE, "no blob store is configured");
      return;
    }
    if (u.cap() > ctx().credentials().maxUploadBytes()) {
      session.error(
          u.id(),
          ErrorCode.MALFORMED,
          "cap: " + u.cap() + " (expected: at most " + ctx().credentials().maxUploadBytes() + ")");
      return;
    }
    session.emit(ctx().credentials().upload(u.id(), session.identity(), u.cap()), true);
  }

  void discover(ClientFrame.Discover d) {
    List<DiscoveryIndex.Hit> hits = ctx().discovery().probe(session.identity(), d.hashes());
    if (hits == null) {
      session.error(d.id(), ErrorCode.DISCOVERY_BUDGET, "daily budget of new probes spent");
      return;
    }
    session.offload(
        () -> {
          List<ServerFrame.Match> matches = new ArrayList<>();
          for (DiscoveryIndex.Hit h : hits) {
            ctx()
                .identities()
                .find(h.identity())
                .ifPresent(
                    i -> matches.add(new ServerFrame.Match(h.hash(), i.id(), i.publicKey())));
          }
          return matches;
        },
        matches -> session.emit(new ServerFrame.Discovered(d.id(), matches), true));
  }

  void findable(ClientFrame.Findable f) {
    String id = session.identity();
    session.offload(
        () -> {
          ctx().identities().setFindable(id, f.hashes());
          ctx().discovery().setFindable(id, f.hashes());
          return f.hashes().size();
        },
        n -> session.emit(new ServerFrame.FindableSet(f.id(), n), true));
  }
}
