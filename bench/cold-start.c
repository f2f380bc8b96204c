// Exec to first 200, measured in C so the figure is the server's start-up and not
// the harness's: Node's own spawn() costs ~5 ms, more than the runtime's start.
// usage: cold-start PORT PATH CPU -- COMMAND [ARGS...]   (prints milliseconds)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// One GET on a fresh connection: 1 for a 200, 0 for anything else or no server yet.
static int probe(int port, const char *path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int ok = 0;
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
    char req[512], res[64];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
    size_t got = 0;
    if (write(fd, req, n) == n) {
      ssize_t r;
      while (got < 12 && (r = read(fd, res + got, sizeof res - 1 - got)) > 0) got += r;
    }
    ok = got >= 12 && memcmp(res, "HTTP/1.1 200", 12) == 0;
  }
  close(fd);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 6 || strcmp(argv[4], "--")) {
    fprintf(stderr, "usage: cold-start PORT PATH CPU -- COMMAND [ARGS...]\n");
    return 2;
  }
  int port = atoi(argv[1]), cpu = atoi(argv[3]);
  /* The server's stdout goes nowhere, as under the bench's launch(): ours carries the figure
     (Bun prints "Started server: ..." there). Opened before the clock starts. */
  int devnull = open("/dev/null", O_WRONLY);
  if (devnull < 0) {
    perror("cold-start: /dev/null");
    return 2;
  }
  double start = now_ms();
  pid_t pid = fork();
  if (pid == 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
    dup2(devnull, STDOUT_FILENO);
    execvp(argv[5], argv + 5);
    _exit(127);
  }
  double took = -1;
  while (now_ms() - start < 10000) {
    if (probe(port, argv[2])) {
      took = now_ms() - start;
      break;
    }
    if (waitpid(pid, NULL, WNOHANG) == pid) {
      fprintf(stderr, "cold-start: %s exited before answering\n", argv[5]);
      return 1;
    }
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  if (took < 0) {
    fprintf(stderr, "cold-start: no 200 on %s within 10 s\n", argv[2]);
    return 1;
  }
  printf("%.3f\n", took);
  return 0;
}
