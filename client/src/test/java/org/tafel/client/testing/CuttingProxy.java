package org.tafel.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server that, once, cuts the connection (both sockets) after
 * a given number of bytes in one direction has passed, as a Wi-Fi drop would; every later
 * connection passes untouched. It records what clients sent so a test can read their requests.
 */
public final class CuttingProxy implements AutoCloseable {
  /** Which way the counted bytes flow. */
  public enum Direction {
    TO_SERVER,
    TO_CLIENT
  }

  private final ServerSocket listener;
  private final int target;
  private final Direction direction;
  private final AtomicLong budget;
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicLong toServer = new AtomicLong();
  private final AtomicLong toClient = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private volatile boolean armed = true;

  /**
   * Cuts once after {@code afterBytes} bytes flowed in {@code direction} to port {@code target}.
   */
  public CuttingProxy(int target, Direction direction, long afterBytes) throws IOException {
    this.target = target;
    this.direction = direction;
    this.budget = new AtomicLong(afterBytes);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "cutting-proxy");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections were cut (0 or 1). */
  public int cuts() {
    return cuts.get();
  }

  /** Bytes passed so far in {@code d}. */
  public long passed(Direction d) {
    return d == Direction.TO_SERVER ? toServer.get() : toClient.get();
  }

  /** Everything clients sent through the proxy, as ISO-8859-1 text. */
  public String sentText() {
    synchronized (sent) {
      return sent.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        sockets.add(client);
        sockets.add(server);
        pump(client, server, direction == Direction.TO_SERVER, true);
        pump(server, client, direction == Direction.TO_CLIENT, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean counted, boolean record) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                  int pass = n;
                  boolean cut = false;
                  if (counted && armed) {
                    long left = budget.addAndGet(-n);
                    if (left <= 0) {
                      pass = (int) Math.max(0, n + left);
                      cut = true;
                    }
                  }
                  if (record) {
                    synchronized (sent) {
                      sent.write(buf, 0, Math.min(pass, 4096));
                    }
                  }
                  // counted before written: once the other side has the bytes, they are counted
                  (record ? toServer : toClient).addAndGet(pass);
                  out.write(buf, 0, pass);
                  out.flush();
                  if (cut && armed) {
                    armed = false;
                    cuts.incrementAndGet();
                    from.setSoLinger(true, 0);
                    to.setSoLinger(true, 0);
                    from.close();
                    to.close();
                    return;
                  }
                }
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
