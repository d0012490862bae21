package org.tafel.blob.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 client on a plain socket, for what {@code java.net.http} will not send: exact
 * Content-Length, a body that never comes, raw paths, oversize headers.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  public void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The status line and headers of the next response (up to the blank line). */
  public String readHead() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  public static int status(String head) {
    if (head.length() < 12) {
      return -1;
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Reads the given number of body bytes. */
  public byte[] readBody(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** True when the server closed the connection (end of stream within the socket timeout). */
  public boolean closedByPeer() throws IOException {
    try {
      while (true) {
        int c = in.read();
        if (c < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** True when the server closes within {@code millis}; false when it keeps the connection. */
  public boolean closedByPeerWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return closedByPeer();
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
