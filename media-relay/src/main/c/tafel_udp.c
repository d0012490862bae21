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
#include <netinet/udp.h>
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
 * UDP segmentation offload (UDP_SEGMENT, Linux 4.18+): consecutive datagrams of one send for the
 * same destination with the same length (the last of a run may be shorter) go to the kernel as one
 * message carrying a UDP_SEGMENT control message. The stack routes, filters and queues the run
 * once; it is cut into the same datagrams at the device (loopback) or by the NIC, so a receiver sees
 * exactly what separate sends would have given it, in the same order.
 *
 * A path MTU under a run's segment size plus headers (tunnels, PPPoE) makes the kernel refuse the
 * run (EINVAL or EMSGSIZE); it is then sent one datagram at a time, and the next flush tries
 * again (tafel_relay_udp_segmentation_fallbacks counts it).
 *
 * gso_on is set in JNI_OnLoad when the kernel takes the UDP_SEGMENT socket option (an older kernel
 * would ignore the control message and send a run as one large datagram, so without the probe it
 * is never used), and cleared by segmentation(false) or when a run fails with EIO (the route's
 * device cannot checksum a run: no checksum offload, or IPsec).
 */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103 /* linux/udp.h; glibc headers before 2.28 lack it */
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define GSO_MAX_SEGMENTS 64
/* Longer datagrams are not grouped: on an Ethernet path (MTU 1500) they are IP-fragmented, and
 * UDP_SEGMENT refuses segments larger than the path MTU. */
#define GSO_MAX_SEGMENT 1472
/* A run is one IPv4 datagram before it is cut: 65535 minus the IP and UDP headers. */
#define GSO_HEADERS (20 + 8)
#define GSO_MAX_BYTES (65535 - GSO_HEADERS)

static int gso_on;
static int64_t gso_runs;      /* messages that carried more than one datagram */
static int64_t gso_fallbacks; /* runs the kernel refused, sent again one datagram at a time */

typedef union {
  char buf[CMSG_SPACE(sizeof(uint16_t))];
  struct cmsghdr align;
} gso_control;

/* One send call's datagrams and the messages made of them. */
typedef struct {
  int n;                                    /* datagrams */
  struct iovec iov[TAFEL_MAX_BATCH];        /* one per datagram */
  struct sockaddr_in to[TAFEL_MAX_BATCH];   /* one per datagram */
  struct mmsghdr msgs[TAFEL_MAX_BATCH];     /* one per message */
  gso_control control[TAFEL_MAX_BATCH];     /* one per message */
  int first[TAFEL_MAX_BATCH];               /* a message's first datagram */
  int size[TAFEL_MAX_BATCH];                /* a message's datagrams */
} send_batch;

static inline int same_destination(const send_batch *b, int i, int j) {
  return b->to[i].sin_addr.s_addr == b->to[j].sin_addr.s_addr &&
         b->to[i].sin_port == b->to[j].sin_port;
}

/*
 * Makes the messages for datagrams start..n-1, runs grouped when segment is set; returns how many.
 */
static int build_messages(send_batch *b, int start, int segment) {
  int m = 0;
  for (int i = start; i < b->n; m++) {
    size_t len = b->iov[i].iov_len;
    int j = i + 1;
    if (segment && len > 0 && len <= GSO_MAX_SEGMENT) {
      size_t total = len;
      /* Kernels before 5.16 compare the run with its headers against gso_size * 64 (since then
       * without them), so a full run of 64 equal datagrams would be refused there: the headers
       * count here too. */
      while (j < b->n && j - i < GSO_MAX_SEGMENTS && same_destination(b, i, j) &&
             b->iov[j].iov_len > 0 && b->iov[j].iov_len <= len &&
             total + b->iov[j].iov_len <= GSO_MAX_BYTES &&
             total + b->iov[j].iov_len + GSO_HEADERS <= len * GSO_MAX_SEGMENTS) {
        total += b->iov[j].iov_len;
        j++;
        if (b->iov[j - 1].iov_len < len) break; /* only the last of a run may be shorter */
      }
    }
    struct msghdr *h = &b->msgs[m].msg_hdr;
    memset(h, 0, sizeof *h);
    h->msg_name = &b->to[i];
    h->msg_namelen = sizeof b->to[i];
    h->msg_iov = &b->iov[i];
    h->msg_iovlen = (size_t)(j - i);
    if (j - i > 1) {
      h->msg_control = b->control[m].buf;
      h->msg_controllen = sizeof b->control[m].buf;
      struct cmsghdr *c = CMSG_FIRSTHDR(h);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_SEGMENT;
      c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
      uint16_t gso_size = (uint16_t)len;
      memcpy(CMSG_DATA(c), &gso_size, sizeof gso_size);
    }
    b->first[m] = i;
    b->size[m] = j - i;
    i = j;
  }
  return m;
}

/*
 * send(fd, desc, count): sends up to count datagrams (clamped to 64) described at desc + i*24 as
 * {long address, int length, int ip, int port, int pad}, with sendmmsg (flags 0), runs for one
 * destination segmented as above.
 *
 * sendmmsg stops at the first message it cannot send; when it sent some, the call continues
 * with the rest. When the first remaining message fails:
 *   - EINTR: retried;
 *   - EAGAIN/EWOULDBLOCK (send buffer full): stop, return how many datagrams were sent so far;
 *   - EBADF, ENOTSOCK, EFAULT (a bad fd or address: a caller bug): return -errno, even if some
 *     datagrams went out before;
 *   - a run of several datagrams, anything else: the rest of the call is sent one datagram per
 *     message, from that run on (and after EIO no run is made again);
 *   - one datagram, anything else (EPERM, EINVAL, ENETUNREACH, EMSGSIZE, ENOBUFS, ...): that
 *     datagram is dropped (not counted as sent) and sending goes on with the next one.
 * Returns the number of datagrams actually sent, so count - result were dropped or left unsent;
 * a caller that needs to tell the two apart cannot, by design: both are loss to UDP.
 */
static jint tafel_send(JNIEnv *env, jclass cls, jint fd, jlong desc, jint count) {
  (void)env;
  (void)cls;
  int n = clamp_count(count);
  if (n == 0) return 0;
  send_batch b;
  b.n = n;
  const unsigned char *d = (const unsigned char *)(void *)(intptr_t)desc;
  memset(b.to, 0, sizeof(b.to[0]) * (size_t)n);
  for (int i = 0; i < n; i++, d += DESC_BYTES) {
    b.iov[i].iov_base = (void *)(intptr_t)get_long(d);
    /* A negative length becomes > 65535 and fails with EMSGSIZE: that datagram is dropped. */
    b.iov[i].iov_len = (size_t)(uint32_t)get_int(d + 8);
    b.to[i].sin_family = AF_INET;
    b.to[i].sin_addr.s_addr = htonl((uint32_t)get_int(d + 12));
    b.to[i].sin_port = htons((uint16_t)get_int(d + 16));
  }
  int m = build_messages(&b, 0, __atomic_load_n(&gso_on, __ATOMIC_RELAXED));
  int next = 0;
  int sent = 0;
  while (next < m) {
    int r = sendmmsg(fd, &b.msgs[next], (unsigned int)(m - next), 0);
    if (r > 0) {
      for (int k = next; k < next + r; k++) {
        sent += b.size[k];
        if (b.size[k] > 1) __atomic_fetch_add(&gso_runs, 1, __ATOMIC_RELAXED);
      }
      next += r;
      continue;
    }
    if (r == 0) break; /* not expected for vlen > 0; avoids spinning */
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) break;
    if (err == EBADF || err == ENOTSOCK || err == EFAULT) return -err;
    if (b.size[next] > 1) {
      __atomic_fetch_add(&gso_fallbacks, 1, __ATOMIC_RELAXED);
      if (err == EIO) __atomic_store_n(&gso_on, 0, __ATOMIC_RELAXED);
      m = build_messages(&b, b.first[next], 0);
      next = 0;
      continue;
    }
    next++; /* drop this datagram, go on with the next */
  }
  return sent;
}

/* Whether the kernel takes UDP_SEGMENT: a socket of our own accepts the option. */
static int gso_supported(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int size = 1200;
  int ok = setsockopt(fd, SOL_UDP, UDP_SEGMENT, &size, sizeof size) == 0;
  close(fd);
  return ok;
}

/*
 * segmentation(on): turns run segmentation on (only where the kernel supports it) or off; returns
 * whether it is on now.
 */
static jboolean tafel_segmentation(JNIEnv *env, jclass cls, jboolean on) {
  (void)env;
  (void)cls;
  int v = on && gso_supported();
  __atomic_store_n(&gso_on, v, __ATOMIC_RELAXED);
  return v ? JNI_TRUE : JNI_FALSE;
}

/*
 * segmentationCounts(out): out[0] = runs sent as one message, out[1] = runs sent again one datagram
 * at a time, out[2] = 1 while segmentation is on. Fills as many as out has room for.
 */
static void tafel_segmentation_counts(JNIEnv *env, jclass cls, jlongArray out) {
  (void)cls;
  jlong v[3] = {(jlong)__atomic_load_n(&gso_runs, __ATOMIC_RELAXED),
                (jlong)__atomic_load_n(&gso_fallbacks, __ATOMIC_RELAXED),
                (jlong)__atomic_load_n(&gso_on, __ATOMIC_RELAXED)};
  jsize len = (*env)->GetArrayLength(env, out);
  (*env)->SetLongArrayRegion(env, out, 0, len < 3 ? len : 3, v);
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
    {"segmentation", "(Z)Z", (void *)tafel_segmentation},
    {"segmentationCounts", "([J)V", (void *)tafel_segmentation_counts},
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
  gso_on = gso_supported();
  return JNI_VERSION_1_8;
}
