/*
 * Batched IPv4 UDP I/O for org.tafel.relay.transport.NativeUdp (Linux), and one gathering write
 * for a TCP client's frames that lie in the same memory.
 *
 * One recvmmsg or sendmmsg per call, at most TAFEL_MAX_BATCH datagrams; every array the kernel
 * needs lives on the stack, so a call allocates nothing. Datagram bytes, receive metadata and
 * send descriptors are in memory the caller owns (direct buffers), addressed by jlong.
 *
 * Conventions shared with the Java side:
 *   - every int in caller memory is in native byte order;
 *   - an IPv4 address is an int in host order (127.0.0.1 is 0x7F000001), a port a plain int;
 *   - a failure is returned as -errno.
 *
 * The natives are bound with RegisterNatives in JNI_OnLoad, so no javah header is needed and the
 * C function names do not depend on the Java method names.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <jni.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAFEL_MAX_BATCH 64

/* Receive metadata: 4 ints per datagram. */
#define META_BYTES 16
/* Send descriptor: long address, int length, int ip, int port, int pad. */
#define DESC_BYTES 24
#define FLAG_TRUNCATED 1

static inline void put_int(unsigned char *p, int32_t v) { memcpy(p, &v, sizeof v); }

static inline int32_t get_int(const unsigned char *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline int64_t get_long(const unsigned char *p) {
  int64_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static int clamp_count(jint count) {
  if (count <= 0) return 0;
  return count > TAFEL_MAX_BATCH ? TAFEL_MAX_BATCH : count;
}

/*
 * open4(ip, port, rcvbuf, sndbuf, reusePort): a non-blocking close-on-exec UDP socket bound to
 * ip:port (port 0: ephemeral). SO_RCVBUF / SO_SNDBUF are set when > 0, SO_REUSEPORT when asked.
 * Returns the fd, or -errno (the socket is closed again on failure).
 */
static jint tafel_open4(JNIEnv *env, jclass cls, jint ip, jint port, jint rcvbuf, jint sndbuf,
                        jboolean reuse_port) {
  (void)env;
  (void)cls;
  if (port < 0 || port > 65535) return -EINVAL;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int err = 0;
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) != 0) {
    err = errno;
  } else if (sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) != 0) {
    err = errno;
  } else if (reuse_port) {
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) err = errno;
  }
  if (err == 0) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl((uint32_t)ip);
    sa.sin_port = htons((uint16_t)port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) err = errno;
  }
  if (err != 0) {
    close(fd);
    return -err;
  }
  return fd;
}

/* localPort(fd): the bound port (getsockname), or -errno. */
static jint tafel_local_port(JNIEnv *env, jclass cls, jint fd) {
  (void)env;
  (void)cls;
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0, sizeof sa);
  if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) return -errno;
  if (sa.sin_family != AF_INET) return -EAFNOSUPPORT;
  return ntohs(sa.sin_port);
}

/*
 * close0(fd): 0 or -errno. On Linux the descriptor is released even when close reports EINTR,
 * so EINTR counts as success and is never retried (a retry could close a reused fd).
 */
static jint tafel_close0(JNIEnv *env, jclass cls, jint fd) {
  (void)env;
  (void)cls;
  if (close(fd) != 0 && errno != EINTR) return -errno;
  return 0;
}

/*
 * recv(fd, buf, stride, cap, count, meta): one recvmmsg(MSG_DONTWAIT) for up to count datagrams
 * (clamped to 64). Datagram i lands at buf + i*stride, at most cap bytes of it; meta + i*16 gets
 * {length, source ip, source port, flags}, flags bit 0 = truncated (MSG_TRUNC in msg_flags).
 *
 * For a truncated datagram the length is the number of bytes stored (cap), not the datagram's
 * size: without MSG_TRUNC in the call's flags Linux reports the copied length in msg_len.
 *
 * Returns the number received, 0 when nothing is queued (EAGAIN/EWOULDBLOCK), -errno otherwise.
 * EINTR is retried.
 */
static jint tafel_recv(JNIEnv *env, jclass cls, jint fd, jlong buf, jint stride, jint cap,
                       jint count, jlong meta) {
  (void)env;
  (void)cls;
  int n = clamp_count(count);
  if (n == 0) return 0;
  if (cap < 0) return -EINVAL;
  struct mmsghdr msgs[TAFEL_MAX_BATCH];
  struct iovec iov[TAFEL_MAX_BATCH];
  struct sockaddr_in from[TAFEL_MAX_BATCH];
  unsigned char *base = (unsigned char *)(void *)(intptr_t)buf;
  memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
  for (int i = 0; i < n; i++) {
    iov[i].iov_base = base + (ptrdiff_t)i * stride;
    iov[i].iov_len = (size_t)cap;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int got;
  do {
    got = recvmmsg(fd, msgs, (unsigned int)n, MSG_DONTWAIT, NULL);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -errno;
  }
  unsigned char *m = (unsigned char *)(void *)(intptr_t)meta;
  for (int i = 0; i < got; i++, m += META_BYTES) {
    int32_t ip = 0;
    int32_t port = 0;
    if (msgs[i].msg_hdr.msg_namelen >= sizeof(struct sockaddr_in) &&
        from[i].sin_family == AF_INET) {
      ip = (int32_t)ntohl(from[i].sin_addr.s_addr);
      port = ntohs(from[i].sin_port);
    }
    put_int(m, (int32_t)msgs[i].msg_len);
    put_int(m + 4, ip);
    put_int(m + 8, port);
    put_int(m + 12, (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? FLAG_TRUNCATED : 0);
  }
  return got;
}

/*
 * send(fd, desc, count): sends up to count datagrams (clamped to 64) described at desc + i*24 as
 * {long address, int length, int ip, int port, int pad}, with sendmmsg (flags 0).
 *
 * sendmmsg stops at the first datagram it cannot send; when it sent some, the call continues
 * with the rest. When the first remaining datagram fails:
 *   - EINTR: retried;
 *   - EAGAIN/EWOULDBLOCK (send buffer full): stop, return how many were sent so far;
 *   - EBADF, ENOTSOCK, EFAULT (a bad fd or address: a caller bug): return -errno, even if some
 *     datagrams went out before;
 *   - anything else (EPERM, EINVAL, ENETUNREACH, EMSGSIZE, ENOBUFS, ...): that datagram is
 *     dropped (not counted as sent) and sending goes on with the next one.
 * Returns the number of datagrams actually sent, so count - result were dropped or left unsent;
 * a caller that needs to tell the two apart cannot, by design: both are loss to UDP.
 */
static jint tafel_send(JNIEnv *env, jclass cls, jint fd, jlong desc, jint count) {
  (void)env;
  (void)cls;
  int n = clamp_count(count);
  if (n == 0) return 0;
  struct mmsghdr msgs[TAFEL_MAX_BATCH];
  struct iovec iov[TAFEL_MAX_BATCH];
  struct sockaddr_in to[TAFEL_MAX_BATCH];
  const unsigned char *d = (const unsigned char *)(void *)(intptr_t)desc;
  memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
  memset(to, 0, sizeof(to[0]) * (size_t)n);
  for (int i = 0; i < n; i++, d += DESC_BYTES) {
    iov[i].iov_base = (void *)(intptr_t)get_long(d);
    /* A negative length becomes > 65535 and fails with EMSGSIZE: that datagram is dropped. */
    iov[i].iov_len = (size_t)(uint32_t)get_int(d + 8);
    to[i].sin_family = AF_INET;
    to[i].sin_addr.s_addr = htonl((uint32_t)get_int(d + 12));
    to[i].sin_port = htons((uint16_t)get_int(d + 16));
    msgs[i].msg_hdr.msg_name = &to[i];
    msgs[i].msg_hdr.msg_namelen = sizeof to[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int next = 0;
  int sent = 0;
  while (next < n) {
    int r = sendmmsg(fd, &msgs[next], (unsigned int)(n - next), 0);
    if (r > 0) {
      sent += r;
      next += r;
      continue;
    }
    if (r == 0) break; /* not expected for vlen > 0; avoids spinning */
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) break;
    if (err == EBADF || err == ENOTSOCK || err == EFAULT) return -err;
    next++; /* drop this datagram, go on with the next */
  }
  return sent;
}

/*
 * writeStream(fd, desc, count): one sendmsg(MSG_DONTWAIT | MSG_NOSIGNAL) on a connected stream
 * socket of up to count buffers (clamped to 64) described at desc + i*24 as {long address,
 * int length, ...} (the send descriptor layout; its ip and port are not read).
 * Returns the bytes written, which may be fewer than asked when the send buffer filled up,
 * 0 when nothing fitted (EAGAIN/EWOULDBLOCK), -errno otherwise. EINTR is retried.
 */
static jint tafel_write_stream(JNIEnv *env, jclass cls, jint fd, jlong desc, jint count) {
  (void)env;
  (void)cls;
  int n = clamp_count(count);
  if (n == 0) return 0;
  struct iovec iov[TAFEL_MAX_BATCH];
  const unsigned char *d = (const unsigned char *)(void *)(intptr_t)desc;
  for (int i = 0; i < n; i++, d += DESC_BYTES) {
    iov[i].iov_base = (void *)(intptr_t)get_long(d);
    int32_t len = get_int(d + 8);
    if (len < 0) return -EINVAL;
    iov[i].iov_len = (size_t)len;
  }
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = iov;
  msg.msg_iovlen = (size_t)n;
  ssize_t r;
  do {
    r = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -errno;
  }
  return (jint)r;
}

static const JNINativeMethod METHODS[] = {
    {"open4", "(IIIIZ)I", (void *)tafel_open4},
    {"localPort", "(I)I", (void *)tafel_local_port},
    {"close0", "(I)I", (void *)tafel_close0},
    {"recv", "(IJIIIJ)I", (void *)tafel_recv},
    {"send", "(IJI)I", (void *)tafel_send},
    {"writeStream", "(IJI)I", (void *)tafel_write_stream},
};

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  jclass cls = (*env)->FindClass(env, "org/tafel/relay/transport/NativeUdp");
  if (cls == NULL) return JNI_ERR;
  jint rc = (*env)->RegisterNatives(env, cls, METHODS,
                                    (jint)(sizeof METHODS / sizeof METHODS[0]));
  (*env)->DeleteLocalRef(env, cls);
  if (rc != JNI_OK) return JNI_ERR;
  return JNI_VERSION_1_8;
}
