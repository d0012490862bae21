/*
 * Counting UDP echo peer for relay load runs (benchmarks/relay-vs-coturn).
 *
 *   echo-peer PORT SERVER_PID OUT_FILE
 *
 * Binds 127.0.0.1:PORT, echoes every datagram back to its sender with recvmmsg/sendmmsg, and every
 * 100 ms appends "seconds datagrams server_utime server_stime monotonic" to OUT_FILE (seconds
 * since it started; CPU in clock ticks from /proc/SERVER_PID/stat, fields 14 and 15, all threads;
 * CLOCK_MONOTONIC in seconds, the clock of Java's System.nanoTime, so that a probe's samples can
 * be placed in the same window). On SIGTERM or SIGINT it writes a
 * last sample, prints the datagram count on stdout and exits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXLEN 4096

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void cpu(const char *stat_path, unsigned long long *ut, unsigned long long *st) {
  char buf[2048];
  *ut = *st = 0;
  FILE *f = fopen(stat_path, "r");
  if (!f) return;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return;
  /* after ")": field 3 (state) ... field 14 utime, 15 stime */
  sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", ut, st);
}

static void sample(FILE *out, const char *stat_path, double t0, unsigned long long count) {
  unsigned long long ut, st;
  cpu(stat_path, &ut, &st);
  double t = now();
  /* seconds since start, datagrams echoed, server utime, stime (ticks), CLOCK_MONOTONIC seconds */
  fprintf(out, "%.6f %llu %llu %llu %.6f\n", t - t0, count, ut, st, t);
  fflush(out);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PORT SERVER_PID OUT_FILE\n", argv[0]);
    return 2;
  }
  char stat_path[64];
  snprintf(stat_path, sizeof stat_path, "/proc/%s/stat", argv[2]);
  FILE *out = fopen(argv[3], "w");
  if (!out) { perror("out"); return 1; }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: recvmmsg returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int sz = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  struct timeval tv = {0, 50000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }

  static char bufs[BATCH][MAXLEN];
  static struct sockaddr_in from[BATCH];
  static struct iovec iov[BATCH];
  static struct mmsghdr msgs[BATCH];
  unsigned long long count = 0;
  double t0 = now(), next = 0;
  sample(out, stat_path, t0, 0);
  while (!stop) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = MAXLEN;
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
    if (n > 0) {
      for (int i = 0; i < n; i++) iov[i].iov_len = msgs[i].msg_len;
      int sent = 0;
      while (sent < n) {
        int k = sendmmsg(fd, msgs + sent, n - sent, 0);
        if (k <= 0) { if (errno == EINTR) continue; break; }
        sent += k;
      }
      count += n;
    }
    double t = now() - t0;
    if (t >= next) {
      sample(out, stat_path, t0, count);
      next = t + 0.1;
    }
  }
  sample(out, stat_path, t0, count);
  fclose(out);
  printf("%llu\n", count);
  return 0;
}
