#include "dns-conf.h"
#include "buf.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copies the line at `line` into buf (cut to fit; a longer line is no valid entry anyway) and
   returns the next line, or NULL after the last. */
static const char *take_line(const char *line, char *buf, size_t cap) {
  const char *end = strchr(line, '\n');
  size_t n = end ? (size_t)(end - line) : strlen(line);
  if (n >= cap) n = cap - 1;
  memcpy(buf, line, n);
  buf[n] = 0;
  return end ? end + 1 : NULL;
}

static void add_nameserver(dns_conf *c, const char *text) {
  if (c->nns == DNS_MAX_NAMESERVERS) return;
  char host[64];
  int port = 53;
  const char *colon = strrchr(text, ':');
  if (text[0] == '[') { /* [v6]:port */
    const char *end = strchr(text, ']');
    if (!end || (size_t)(end - text - 1) >= sizeof host) return;
    memcpy(host, text + 1, (size_t)(end - text - 1));
    host[end - text - 1] = 0;
    if (end[1] == ':') port = atoi(end + 2);
  } else if (colon && strchr(text, ':') == colon && strchr(text, '.')) { /* v4:port */
    if ((size_t)(colon - text) >= sizeof host) return;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = 0;
    port = atoi(colon + 1);
  } else {
    snprintf(host, sizeof host, "%s", text);
    char *scope = strchr(host, '%'); /* fe80::1%eth0: link-local scopes are not supported; use the address */
    if (scope) *scope = 0;
  }
  if (port < 1 || port > 65535) return;
  struct sockaddr_in *v4 = (struct sockaddr_in *)&c->ns[c->nns];
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&c->ns[c->nns];
  memset(&c->ns[c->nns], 0, sizeof c->ns[0]);
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    c->ns_len[c->nns++] = sizeof *v4;
  } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    c->ns_len[c->nns++] = sizeof *v6;
  }
}

static int clamp_option(const char *value, int min, int max) {
  int v = atoi(value);
  return v < min ? min : v > max ? max : v;
}

void dns_conf_parse(dns_conf *c, const char *text) {
  memset(c, 0, sizeof *c);
  c->ndots = 1, c->timeout_ms = 5000, c->attempts = 2;
  const char *line = text;
  while (line && *line) {
    char buf[1024];
    line = take_line(line, buf, sizeof buf);
    char *hash = strpbrk(buf, "#;");
    if (hash) *hash = 0;
    char *save = NULL, *key = strtok_r(buf, " \t\r", &save);
    if (!key) continue;
    if (strcmp(key, "nameserver") == 0) {
      char *v = strtok_r(NULL, " \t\r", &save);
      if (v) add_nameserver(c, v);
    } else if (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0) {
      // The last search or domain line wins, as in glibc.
      c->nsearch = 0;
      for (char *v; (v = strtok_r(NULL, " \t\r", &save)) && c->nsearch < DNS_MAX_SEARCH;) {
        size_t len = strlen(v);
        while (len > 0 && v[len - 1] == '.') v[--len] = 0;
        if (len == 0 || len >= DNS_NAME_MAX - 1) continue;
        memcpy(c->search[c->nsearch++], v, len + 1);
        if (key[0] == 'd') break;
      }
    } else if (strcmp(key, "options") == 0) {
      for (char *v; (v = strtok_r(NULL, " \t\r", &save));) {
        if (strncmp(v, "ndots:", 6) == 0)
          c->ndots = clamp_option(v + 6, 0, 15);
        else if (strncmp(v, "timeout:", 8) == 0)
          c->timeout_ms = clamp_option(v + 8, 1, 30) * 1000;
        else if (strncmp(v, "attempts:", 9) == 0)
          c->attempts = clamp_option(v + 9, 1, 5);
        else if (strcmp(v, "rotate") == 0)
          c->rotate = true;
      }
    }
  }
  if (c->nns == 0) add_nameserver(c, "127.0.0.1");
}

/** The whole file as a NUL-terminated string, or NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "re");
  if (!f) return NULL;
  buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1 << 20)) buf_append(&b, chunk, n);
  fclose(f);
  buf_append(&b, "", 1);
  return b.data;
}

static const char *env_path(const char *name, const char *def) {
  const char *v = getenv(name);
  return v && *v ? v : def;
}

const dns_conf *dns_conf_get(void) {
  static dns_conf conf;
  static bool loaded;
  if (!loaded) {
    loaded = true;
    char *text = read_file(env_path("SCRATCHFN_RESOLV_CONF", "/etc/resolv.conf"));
    dns_conf_parse(&conf, text ? text : "");
    free(text);
  }
  return &conf;
}

int dns_hosts_find_in(const char *text, const char *name, int family, dns_addr *out, int max) {
  size_t want = strlen(name);
  if (want > 0 && name[want - 1] == '.') want--;
  int count = 0;
  for (const char *line = text; line && *line && count < max;) {
    char buf[1024];
    line = take_line(line, buf, sizeof buf);
    char *hash = strchr(buf, '#');
    if (hash) *hash = 0;
    char *save = NULL, *addr = strtok_r(buf, " \t\r", &save);
    if (!addr) continue;
    bool match = false;
    for (char *alias; !match && (alias = strtok_r(NULL, " \t\r", &save));) {
      match = strlen(alias) == want && strncasecmp(alias, name, want) == 0;
    }
    if (!match) continue;
    dns_addr *a = &out[count];
    memset(a, 0, sizeof *a);
    if ((family == 0 || family == 4) && inet_pton(AF_INET, addr, a->bytes) == 1)
      a->family = 4, count++;
    else if ((family == 0 || family == 6) && inet_pton(AF_INET6, addr, a->bytes) == 1)
      a->family = 6, count++;
  }
  return count;
}

int dns_hosts_find(const char *name, int family, dns_addr *out, int max) {
  static char *text;
  static bool loaded;
  if (!loaded) {
    loaded = true;
    text = read_file(env_path("SCRATCHFN_HOSTS", "/etc/hosts"));
  }
  return text ? dns_hosts_find_in(text, name, family, out, max) : 0;
}
