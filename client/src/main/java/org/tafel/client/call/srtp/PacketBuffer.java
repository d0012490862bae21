package org.tafel.client.call.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/** jitsi-utils' buffer view over a byte array with room for the tag jitsi-srtp appends. */
final class PacketBuffer implements ByteArrayBuffer {
  private byte[] buffer;
  private int offset;
  private int length;

  PacketBuffer(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
  }

  @Override
  public byte[] getBuffer() {
    return buffer;
  }

  @Override
  public int getOffset() {
    return offset;
  }

  @Override
  public int getLength() {
    return length;
  }

  @Override
  public void setLength(int len) {
    length = len;
  }

  @Override
  public void setOffset(int off) {
    offset = off;
  }

  @Override
  public boolean isInvalid() {
    return false;
  }

  @Override
  public void readRegionToBuff(int off, int len, byte[] out) {
    System.arraycopy(buffer, offset + off, out, 0, len);
  }

  @Override
  public void grow(int howMuch) {
    int needed = offset + length + howMuch;
    if (needed > buffer.length) {
      byte[] b = new byte[needed];
      System.arraycopy(buffer, 0, b, 0, buffer.length);
      buffer = b;
    }
  }

  @Override
  public void append(byte[] data, int len) {
    grow(len);
    System.arraycopy(data, 0, buffer, offset + length, len);
    length += len;
  }

  @Override
  public void shrink(int len) {
    length = Math.max(0, length - len);
  }
}
