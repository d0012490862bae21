/*
 * The floor for relay load runs (benchmarks/relay-vs-coturn): the least work a TURN-shaped UDP
 * relay can do per datagram on this kernel. No authentication, no permission checks, no lifetimes,
 * no TURN state machine beyond what turnutils_uclient needs to start sending:
 *
 *   floor-forwarder PORT
 *
 * Binds 127.0.0.1:PORT (UDP) and answers every STUN request that arrives there (Allocate, Refresh,
 * CreatePermission, ChannelBind, anything else) with a success response of the same method and
 * transaction id, without checking credentials: uclient never gets a 401, so it never has a nonce
 * and never checks MESSAGE-INTEGRITY on responses. Allocate binds one relay socket per client
 * address (an ephemeral 127.0.0.1 port; the same one again if the client repeats its Allocate) and
 * returns it as XOR-RELAYED-ADDRESS. ChannelBind records channel -> peer for that allocation.
 * A Refresh with LIFETIME 0 closes the allocation.
 *
 * Data path, all with recvmmsg/sendmmsg in one epoll thread:
 *   client -> peer: ChannelData (0x4000..0x7FFF) or a Send indication (XOR-PEER-ADDRESS + DATA)
 *                   received in batches on the listening socket, sent from each allocation's relay
 *                   socket, one sendmmsg per relay socket per batch;
 *   peer -> client: datagrams received in batches on a relay socket, framed as ChannelData if the
 *                   peer has a channel, else as a Data indication (header and attributes in a
 *                   second iovec, no copy of the payload), one sendmmsg per batch.
 * UDP client transport only (uclient -t is not served). Prints "READY port" when listening; exits
 * on SIGTERM/SIGINT and prints the datagrams it forwarded in each direction.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define MAXLEN 2048
#define MAX_ALLOCS 16384
#define MAX_CHANNELS 8
#define MAGIC 0x2112A442u

typedef struct {
  uint16_t num;
  struct sockaddr_in peer;
} channel_t;

typedef struct {
  int fd; /* relay socket, -1 when free */
  struct sockaddr_in client;
  struct sockaddr_in relay;
  int nchan;
  channel_t chan[MAX_CHANNELS];
} alloc_t;

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static alloc_t allocs[MAX_ALLOCS];
static int nallocs;                 /* high-water mark of used slots */
static int by_client_port[65536];   /* client source port -> alloc index + 1 (clients are 127.0.0.1) */
static int lfd, efd;
static unsigned long long c2p, p2c;

/* receive side: one batch of buffers for the listening socket, one for relay sockets */
static uint8_t lbuf[BATCH][MAXLEN], rbuf[BATCH][MAXLEN];
static struct sockaddr_in lfrom[BATCH], rfrom[BATCH];
static struct iovec liov[BATCH], riov[BATCH];
static struct mmsghdr lmsg[BATCH], rmsg[BATCH];
/* send side */
static struct mmsghdr smsg[BATCH];
static struct iovec siov[BATCH][3];
static uint8_t shdr[BATCH][36];
static int sfd[BATCH];
static struct sockaddr_in sto[BATCH];

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void wr16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static inline void wr32(uint8_t *p, uint32_t v) {
  p[0] = v >> 24; p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static alloc_t *alloc_of(const struct sockaddr_in *from) {
  int i = by_client_port[ntohs(from->sin_port)];
  if (!i) return NULL;
  alloc_t *a = &allocs[i - 1];
  return a->client.sin_addr.s_addr == from->sin_addr.s_addr ? a : NULL;
}

/* XOR-*-ADDRESS attribute value (IPv4 only) -> sockaddr; 0 on success */
static int xor_addr(const uint8_t *v, int len, struct sockaddr_in *out) {
  if (len < 8 || v[1] != 0x01) return -1;
  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons(rd16(v + 2) ^ (MAGIC >> 16));
  out->sin_addr.s_addr = htonl(rd32(v + 4) ^ MAGIC);
  return 0;
}

static int put_xor_addr(uint8_t *p, uint16_t type, const struct sockaddr_in *a) {
  wr16(p, type); wr16(p + 2, 8);
  p[4] = 0; p[5] = 0x01;
  wr16(p + 6, ntohs(a->sin_port) ^ (MAGIC >> 16));
  wr32(p + 8, ntohl(a->sin_addr.s_addr) ^ MAGIC);
  return 12;
}

/* find attribute `type` in a STUN message; returns value pointer and sets *len */
static const uint8_t *attr(const uint8_t *m, int mlen, uint16_t type, int *len) {
  int end = 20 + rd16(m + 2);
  if (end > mlen) end = mlen;
  for (int off = 20; off + 4 <= end;) {
    uint16_t t = rd16(m + off), l = rd16(m + off + 2);
    if (off + 4 + l > end) return NULL;
    if (t == type) { *len = l; return m + off + 4; }
    off += 4 + ((l + 3) & ~3);
  }
  return NULL;
}

static void free_alloc(alloc_t *a) {
  if (a->fd < 0) return;
  epoll_ctl(efd, EPOLL_CTL_DEL, a->fd, NULL);
  close(a->fd);
  a->fd = -1;
  by_client_port[ntohs(a->client.sin_port)] = 0;
}

static alloc_t *new_alloc(const struct sockaddr_in *from) {
  int slot = -1;
  for (int i = 0; i < nallocs; i++) if (allocs[i].fd < 0) { slot = i; break; }
  if (slot < 0) {
    if (nallocs == MAX_ALLOCS) return NULL;
    slot = nallocs++;
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return NULL;
  int sz = 1 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  alloc_t *a = &allocs[slot];
  memset(a, 0, sizeof *a);
  a->relay.sin_family = AF_INET;
  a->relay.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t sl = sizeof a->relay;
  if (bind(fd, (struct sockaddr *)&a->relay, sizeof a->relay) < 0 ||
      getsockname(fd, (struct sockaddr *)&a->relay, &sl) < 0) {
    close(fd);
    a->fd = -1;
    return NULL;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)slot + 1};
  epoll_ctl(efd, EPOLL_CTL_ADD, fd, &ev);
  a->fd = fd;
  a->client = *from;
  by_client_port[ntohs(from->sin_port)] = slot + 1;
  return a;
}

/* answer a STUN request on the listening socket */
static void control(const uint8_t *m, int len, const struct sockaddr_in *from) {
  uint16_t type = rd16(m);
  if ((type & 0x0110) != 0) return; /* not a request: ignore responses/other indications */
  uint16_t method = type & 0x3EEF;
  uint8_t out[128];
  int o = 20;
  alloc_t *a = alloc_of(from);
  int lifetime = 600;
  if (method == 0x003) { /* Allocate */
    if (!a) a = new_alloc(from);
    if (!a) { /* 508 Insufficient Capacity */
      wr16(out, type | 0x0110);
      wr16(out + o, 0x0009); wr16(out + o + 2, 4);
      out[o + 4] = 0; out[o + 5] = 0; out[o + 6] = 5; out[o + 7] = 8;
      o += 8;
      goto send;
    }
    o += put_xor_addr(out + o, 0x0016, &a->relay);   /* XOR-RELAYED-ADDRESS */
    o += put_xor_addr(out + o, 0x0020, from);        /* XOR-MAPPED-ADDRESS */
  } else if (method == 0x004) { /* Refresh */
    int l;
    const uint8_t *v = attr(m, len, 0x000D, &l);
    if (v && l == 4) lifetime = (int)rd32(v);
    if (a && lifetime == 0) free_alloc(a);
  } else if (method == 0x009 && a) { /* ChannelBind */
    int l1, l2;
    const uint8_t *cn = attr(m, len, 0x000C, &l1);
    const uint8_t *pa = attr(m, len, 0x0012, &l2);
    struct sockaddr_in peer;
    if (cn && l1 == 4 && pa && xor_addr(pa, l2, &peer) == 0) {
      uint16_t num = rd16(cn);
      int i;
      for (i = 0; i < a->nchan; i++) if (a->chan[i].num == num) break;
      if (i == a->nchan && a->nchan < MAX_CHANNELS) a->nchan++;
      if (i < MAX_CHANNELS) { a->chan[i].num = num; a->chan[i].peer = peer; }
    }
  }
  if (method == 0x003 || method == 0x004) {
    wr16(out + o, 0x000D); wr16(out + o + 2, 4); wr32(out + o + 4, (uint32_t)lifetime);
    o += 8;
  }
  wr16(out, type | 0x0100);
send:
  wr16(out + 2, (uint16_t)(o - 20));
  memcpy(out + 4, m + 4, 16); /* magic cookie + transaction id */
  sendto(lfd, out, (size_t)o, 0, (const struct sockaddr *)from, sizeof *from);
}

/* client -> peer: drain the listening socket */
static void from_clients(void) {
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      liov[i].iov_base = lbuf[i];
      liov[i].iov_len = MAXLEN;
      lmsg[i].msg_hdr.msg_iov = &liov[i];
      lmsg[i].msg_hdr.msg_iovlen = 1;
      lmsg[i].msg_hdr.msg_name = &lfrom[i];
      lmsg[i].msg_hdr.msg_namelen = sizeof lfrom[i];
      lmsg[i].msg_hdr.msg_control = NULL;
      lmsg[i].msg_hdr.msg_controllen = 0;
    }
    int n = recvmmsg(lfd, lmsg, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return;
    int ns = 0;
    for (int i = 0; i < n; i++) {
      const uint8_t *m = lbuf[i];
      int len = (int)lmsg[i].msg_len;
      if (len < 4) continue;
      if (m[0] >= 0x40 && m[0] <= 0x7F) { /* ChannelData */
        alloc_t *a = alloc_of(&lfrom[i]);
        if (!a) continue;
        uint16_t num = rd16(m), dl = rd16(m + 2);
        if (dl > len - 4) continue;
        int c;
        for (c = 0; c < a->nchan; c++) if (a->chan[c].num == num) break;
        if (c == a->nchan) continue;
        sfd[ns] = a->fd;
        sto[ns] = a->chan[c].peer;
        siov[ns][0].iov_base = (void *)(m + 4);
        siov[ns][0].iov_len = dl;
        ns++;
      } else if (len >= 20 && (m[0] & 0xC0) == 0 && rd32(m + 4) == MAGIC) {
        if (rd16(m) == 0x0016) { /* Send indication */
          alloc_t *a = alloc_of(&lfrom[i]);
          int pl, dl;
          const uint8_t *pa = attr(m, len, 0x0012, &pl);
          const uint8_t *d = attr(m, len, 0x0013, &dl);
          if (!a || !pa || !d || xor_addr(pa, pl, &sto[ns]) != 0) continue;
          sfd[ns] = a->fd;
          siov[ns][0].iov_base = (void *)d;
          siov[ns][0].iov_len = (size_t)dl;
          ns++;
        } else {
          control(m, len, &lfrom[i]);
        }
      }
    }
    /* one sendmmsg per relay socket: runs of the same fd, after grouping in order of appearance */
    int done[BATCH] = {0};
    for (int i = 0; i < ns; i++) {
      if (done[i]) continue;
      int fd = sfd[i], k = 0;
      struct mmsghdr grp[BATCH];
      for (int j = i; j < ns; j++) {
        if (done[j] || sfd[j] != fd) continue;
        done[j] = 1;
        memset(&grp[k].msg_hdr, 0, sizeof grp[k].msg_hdr);
        grp[k].msg_hdr.msg_iov = siov[j];
        grp[k].msg_hdr.msg_iovlen = 1;
        grp[k].msg_hdr.msg_name = &sto[j];
        grp[k].msg_hdr.msg_namelen = sizeof sto[j];
        k++;
      }
      int sent = 0;
      while (sent < k) {
        int r = sendmmsg(fd, grp + sent, (unsigned)(k - sent), 0);
        if (r <= 0) { if (r < 0 && errno == EINTR) continue; break; }
        sent += r;
      }
      c2p += (unsigned long long)sent;
    }
    if (n < BATCH) return;
  }
}

/* peer -> client: drain one relay socket */
static void from_peers(alloc_t *a) {
  static const uint8_t zeros[4];
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      riov[i].iov_base = rbuf[i];
      riov[i].iov_len = MAXLEN;
      rmsg[i].msg_hdr.msg_iov = &riov[i];
      rmsg[i].msg_hdr.msg_iovlen = 1;
      rmsg[i].msg_hdr.msg_name = &rfrom[i];
      rmsg[i].msg_hdr.msg_namelen = sizeof rfrom[i];
      rmsg[i].msg_hdr.msg_control = NULL;
      rmsg[i].msg_hdr.msg_controllen = 0;
    }
    int n = recvmmsg(a->fd, rmsg, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return;
    for (int i = 0; i < n; i++) {
      uint32_t dl = rmsg[i].msg_len;
      int c;
      for (c = 0; c < a->nchan; c++)
        if (a->chan[c].peer.sin_port == rfrom[i].sin_port &&
            a->chan[c].peer.sin_addr.s_addr == rfrom[i].sin_addr.s_addr) break;
      uint8_t *h = shdr[i];
      int iovn;
      if (c < a->nchan) { /* ChannelData */
        wr16(h, a->chan[c].num); wr16(h + 2, (uint16_t)dl);
        siov[i][0].iov_base = h; siov[i][0].iov_len = 4;
        iovn = 2;
      } else { /* Data indication: header, XOR-PEER-ADDRESS, DATA, payload, padding */
        uint32_t pad = (4 - (dl & 3)) & 3;
        wr16(h, 0x0017); wr16(h + 2, (uint16_t)(12 + 4 + dl + pad));
        wr32(h + 4, MAGIC);
        memcpy(h + 8, rbuf[i], 12 > dl ? dl : 12); /* any 96 bits will do as transaction id */
        put_xor_addr(h + 20, 0x0012, &rfrom[i]);
        wr16(h + 32, 0x0013); wr16(h + 34, (uint16_t)dl);
        siov[i][0].iov_base = h; siov[i][0].iov_len = 36;
        siov[i][2].iov_base = (void *)zeros; siov[i][2].iov_len = pad;
        iovn = pad ? 3 : 2;
      }
      siov[i][1].iov_base = rbuf[i]; siov[i][1].iov_len = dl;
      memset(&smsg[i].msg_hdr, 0, sizeof smsg[i].msg_hdr);
      smsg[i].msg_hdr.msg_iov = siov[i];
      smsg[i].msg_hdr.msg_iovlen = (size_t)iovn;
      smsg[i].msg_hdr.msg_name = &a->client;
      smsg[i].msg_hdr.msg_namelen = sizeof a->client;
    }
    int sent = 0;
    while (sent < n) {
      int r = sendmmsg(lfd, smsg + sent, (unsigned)(n - sent), 0);
      if (r <= 0) { if (r < 0 && errno == EINTR) continue; break; }
      sent += r;
    }
    p2c += (unsigned long long)sent;
    if (n < BATCH) return;
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  lfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int sz = 8 << 20;
  setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  struct sockaddr_in la;
  memset(&la, 0, sizeof la);
  la.sin_family = AF_INET;
  la.sin_port = htons((unsigned short)atoi(argv[1]));
  la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&la, sizeof la) < 0) { perror("bind"); return 1; }
  efd = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 0};
  epoll_ctl(efd, EPOLL_CTL_ADD, lfd, &ev);
  printf("READY %s\n", argv[1]);
  fflush(stdout);

  struct epoll_event evs[256];
  while (!stop) {
    int n = epoll_wait(efd, evs, 256, 200);
    for (int i = 0; i < n; i++) {
      uint32_t id = evs[i].data.u32;
      if (id == 0) from_clients();
      else if (allocs[id - 1].fd >= 0) from_peers(&allocs[id - 1]);
    }
  }
  printf("forwarded client->peer %llu peer->client %llu\n", c2p, p2c);
  return 0;
}
