// [tls-trust.c] The certificates TLS trusts, read and parsed on the first TLS connection
// (never at start: about 145 PEM certificates are work a function that makes no https
// call should not pay for). Where they come from, as Node and OpenSSL read them:
//   SSL_CERT_FILE and/or SSL_CERT_DIR (every file in the directory; several directories
//     separated by ':'): these replace the defaults;
//   otherwise the defaults: /etc/ssl/certs/ca-certificates.crt (the image's CA layer,
//     Debian's ca-certificates bundle) and, when it exists, the bundle OpenShift injects
//     (a ConfigMap labelled config.openshift.io/inject-trusted-cabundle=true, mounted at
//     /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem by `deploy` for trustedCA: true);
//   NODE_EXTRA_CA_CERTS, a PEM file added to either, as Node does.
// A file that cannot be read is a warning on stderr, like Node's for NODE_EXTRA_CA_CERTS.
#include "log.h"
#include "tls-session.h"
#include "mbedtls/x509_crt.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BUNDLE   "/etc/ssl/certs/ca-certificates.crt"
#define OPENSHIFT_BUNDLE "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"
enum { MAX_FILE = 16 << 20 };

static mbedtls_x509_crt trust;
static bool loaded;
static int count;

/* On stderr, as Node warns about NODE_EXTRA_CA_CERTS, as one JSON line like the runtime's others. */
static void warn(const char *what, const char *path, const char *why) {
  char msg[PATH_MAX + 200];
  int n = snprintf(msg, sizeof msg, "Warning: Ignoring %s from `%s`, load failed: %s", what, path, why);
  buf line = {0};
  buf_append_str(&line, "{\"time\":\"");
  log_append_time(&line);
  buf_append_str(&line, "\",\"level\":\"warn\",\"msg\":");
  json_append_str(&line, msg, n < (int)sizeof msg ? (size_t)n : sizeof msg - 1);
  buf_append_str(&line, "}\n");
  log_write_fd(2, buf_head(&line), buf_size(&line));
  buf_free(&line);
}

/** Reads a whole file, NUL-terminated (mbedTLS wants that for PEM); NULL with errno set. */
static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
    if (errno == 0 || S_ISDIR(st.st_mode)) errno = S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
    close(fd);
    return NULL;
  }
  char *data = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (data && got < (size_t)st.st_size) {
    ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  if (!data) return NULL;
  data[got] = 0;
  *len = got;
  return data;
}

static int chain_length(void) {
  int n = 0;
  for (const mbedtls_x509_crt *c = &trust; c && c->raw.len > 0; c = c->next) n++;
  return n;
}

/** Adds the certificates of one PEM (or DER) file; false when the file held none. */
static bool add_file(const char *path, const char *what, bool quiet_missing) {
  size_t len = 0;
  char *data = read_file(path, &len);
  if (!data) {
    if (!(quiet_missing && errno == ENOENT)) warn(what, path, strerror(errno));
    return false;
  }
  int before = chain_length();
  // A PEM buffer's length counts its NUL; a bundle's bad entries are skipped (ret > 0).
  bool pem = strstr(data, "-----BEGIN ") != NULL;
  int ret = mbedtls_x509_crt_parse(&trust, (const unsigned char *)data, pem ? len + 1 : len);
  free(data);
  int added = chain_length() - before;
  if (added == 0) {
    char why[64];
    snprintf(why, sizeof why, ret < 0 ? "no certificate could be parsed (-0x%04x)" : "no certificate in it",
             (unsigned)-ret);
    warn(what, path, why);
  }
  count = before + added;
  return added > 0;
}

/** Every regular file of each ':'-separated directory; symlinks to one file are read once. */
static void add_dirs(const char *dirs) {
  char *copy = strdup(dirs);
  char *seen[512];
  int nseen = 0;
  for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
    DIR *d = opendir(dir);
    if (!d) {
      warn("CA certificates", dir, strerror(errno));
      continue;
    }
    for (struct dirent *e; (e = readdir(d));) {
      if (e->d_name[0] == '.') continue;
      char path[PATH_MAX], real[PATH_MAX];
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      if (!realpath(path, real)) continue;
      bool dup = false;
      for (int i = 0; i < nseen && !dup; i++) dup = strcmp(seen[i], real) == 0;
      struct stat st;
      if (dup || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) continue;
      if (nseen < (int)(sizeof seen / sizeof seen[0])) seen[nseen++] = strdup(real);
      add_file(real, "CA certificates", false);
    }
    closedir(d);
  }
  for (int i = 0; i < nseen; i++) free(seen[i]);
  free(copy);
}

static const char *env(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

mbedtls_x509_crt *tls_trust(void) {
  if (loaded) return &trust;
  loaded = true;
  mbedtls_x509_crt_init(&trust);
  const char *file = env("SSL_CERT_FILE"), *dir = env("SSL_CERT_DIR");
  if (file || dir) {
    if (file) add_file(file, "CA certificates", false);
    if (dir) add_dirs(dir);
  } else {
    add_file(DEFAULT_BUNDLE, "CA certificates", false);
    add_file(OPENSHIFT_BUNDLE, "CA certificates", true);
  }
  const char *extra = env("NODE_EXTRA_CA_CERTS");
  if (extra) add_file(extra, "extra certs", false);
  return &trust;
}

int tls_trust_count(void) {
  return count;
}
