// [tls-session.c] The TLS 1.2/1.3 client on mbedTLS, over memory buffers (see
// tls-session.h). Sessions share one configuration, made on the first session: the
// trust store (tls-trust.c), ALPN http/1.1, TLS 1.2 to 1.3, the suites of
// runtime/mbedtls/scratchfn-config.h. A session with its own CAs or without ALPN (the
// sockets' TLS) gets a configuration of its own, since mbedTLS keeps both per
// configuration. mbedTLS verifies in VERIFY_OPTIONAL mode and this
// file decides after the handshake, as Node does, so the error can say which certificate
// of the chain failed and how (Node's four codes for an untrusted chain differ only in
// that), and a session may also go on unverified.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS /* the received alert's number: mbedTLS 3.6 has no getter */
#include "tls-session.h"
#include "crypto.h"
#include "mbedtls/psa_util.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "psa/crypto.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 16 };

struct tls_session {
  mbedtls_ssl_context ssl;
  buf in, out, plain;
  bool eof;
  tls_state state;
  bool verify;
  /* The host's IP address when it is a literal (checked here, since mbedTLS would send it as SNI). */
  uint8_t ip[16];
  size_t ip_len;
  char host[256];
  /* What the verify callback saw, per depth of the chain (0 is the server's own certificate). */
  uint32_t depth_flags[MAX_DEPTH];
  bool depth_self_issued[MAX_DEPTH];
  int top_depth;
  tls_failure failure;
  /* Our close_notify went out (tls_session_shutdown): reads go on, writes are over. */
  bool shut;
  /* Node's code for why an unverified session's peer would have failed, else NULL. */
  const char *unauthorized;
  /* The session's own configuration and CAs (options ca_pem, no_alpn), else NULL. */
  struct own_conf *own;
};

struct own_conf {
  mbedtls_ssl_config conf;
  mbedtls_x509_crt ca;
};

static mbedtls_ssl_config conf;
static bool conf_ready;
static const char *alpn_list[] = {"http/1.1", NULL};

static int psa_ready(tls_failure *fail) {
  static bool ready;
  if (ready) return 0;
  // TLS 1.3 computes through PSA, whose own generator must be seeded first.
  psa_status_t st = psa_crypto_init();
  if (st != PSA_SUCCESS) {
    fail->code = "ERR_TLS_INIT";
    snprintf(fail->message, sizeof fail->message, "TLS: the crypto library could not start (PSA %d)", (int)st);
    return -1;
  }
  ready = true;
  return 0;
}

/** A client configuration trusting `ca`, offering `alpn` (NULL: no ALPN). */
static int conf_fill(mbedtls_ssl_config *c, mbedtls_x509_crt *ca, const char **alpn, tls_failure *fail) {
  if (psa_ready(fail) < 0) return -1;
  mbedtls_ssl_config_init(c);
  int ret =
      mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) {
    fail->code = "ERR_TLS_INIT";
    snprintf(fail->message, sizeof fail->message, "TLS: configuration failed (-0x%04x)", (unsigned)-ret);
    return -1;
  }
  mbedtls_ssl_conf_rng(c, crypto_random, NULL);
  mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_OPTIONAL);
  mbedtls_ssl_conf_ca_chain(c, ca, NULL);
  mbedtls_ssl_conf_min_tls_version(c, MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(c, MBEDTLS_SSL_VERSION_TLS1_3);
  if (alpn) mbedtls_ssl_conf_alpn_protocols(c, alpn);
  return 0;
}

static int conf_init(tls_failure *fail) {
  if (conf_ready) return 0;
  if (conf_fill(&conf, tls_trust(), alpn_list, fail) < 0) return -1;
  conf_ready = true;
  return 0;
}

static void own_free(struct own_conf *own) {
  if (!own) return;
  mbedtls_ssl_config_free(&own->conf);
  mbedtls_x509_crt_free(&own->ca);
  free(own);
}

/** The configuration of a session with its own CAs or no ALPN; NULL with *fail set. */
static struct own_conf *own_new(const tls_session_options *o, tls_failure *fail) {
  struct own_conf *own = calloc(1, sizeof *own);
  if (!own) {
    fail->code = "ENOMEM";
    snprintf(fail->message, sizeof fail->message, "TLS: out of memory");
    return NULL;
  }
  mbedtls_x509_crt_init(&own->ca);
  // Node skips what is no certificate in `ca`; with none left, nothing verifies (an empty chain).
  if (o->ca_pem) mbedtls_x509_crt_parse(&own->ca, (const unsigned char *)o->ca_pem, strlen(o->ca_pem) + 1);
  if (conf_fill(&own->conf, o->ca_pem ? &own->ca : tls_trust(), o->no_alpn ? NULL : alpn_list, fail) < 0) {
    own_free(own);
    return NULL;
  }
  return own;
}

static int bio_send(void *ctx, const unsigned char *data, size_t n) {
  tls_session *s = ctx;
  buf_append(&s->out, data, n);
  return (int)n;
}

static int bio_recv(void *ctx, unsigned char *data, size_t n) {
  tls_session *s = ctx;
  size_t have = buf_size(&s->in);
  if (have == 0) return s->eof ? 0 : MBEDTLS_ERR_SSL_WANT_READ;
  if (n > have) n = have;
  memcpy(data, buf_head(&s->in), n);
  buf_consume(&s->in, n);
  return (int)n;
}

static int on_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags) {
  tls_session *s = ctx;
  if (depth >= 0 && depth < MAX_DEPTH) {
    s->depth_flags[depth] |= *flags;
    s->depth_self_issued[depth] = crt->subject_raw.len == crt->issuer_raw.len &&
                                  memcmp(crt->subject_raw.p, crt->issuer_raw.p, crt->subject_raw.len) == 0;
    if (depth > s->top_depth) s->top_depth = depth;
  }
  // The decision is ours, after the handshake (tls_session_advance).
  *flags = 0;
  return 0;
}

static void set_failure(tls_session *s, const char *code, const char *fmt, const char *arg) {
  s->state = TLS_FAILED;
  s->failure.code = code;
  snprintf(s->failure.message, sizeof s->failure.message, fmt, arg);
}

tls_session *tls_session_new(const tls_session_options *o, tls_failure *fail) {
  bool own = o->ca_pem || o->no_alpn;
  if (!own && conf_init(fail) < 0) return NULL;
  tls_session *s = calloc(1, sizeof *s);
  if (!s) {
    fail->code = "ENOMEM";
    snprintf(fail->message, sizeof fail->message, "TLS: out of memory");
    return NULL;
  }
  if (own && !(s->own = own_new(o, fail))) {
    free(s);
    return NULL;
  }
  s->verify = o->verify;
  s->top_depth = -1;
  snprintf(s->host, sizeof s->host, "%s", o->host);
  // An IPv6 literal may come in brackets; a zone id is not part of the address.
  char addr[64];
  snprintf(addr, sizeof addr, "%s", o->host[0] == '[' ? o->host + 1 : o->host);
  char *cut = strpbrk(addr, "]%");
  if (cut) *cut = 0;
  if (inet_pton(AF_INET, addr, s->ip) == 1)
    s->ip_len = 4;
  else if (inet_pton(AF_INET6, addr, s->ip) == 1)
    s->ip_len = 16;
  mbedtls_ssl_init(&s->ssl);
  int ret = mbedtls_ssl_setup(&s->ssl, s->own ? &s->own->conf : &conf);
  // A name is sent as SNI and checked by mbedTLS; an IP literal is neither (RFC 6066, and
  // Node), so it is checked against the IP SANs after the handshake.
  if (ret == 0) ret = mbedtls_ssl_set_hostname(&s->ssl, s->ip_len ? NULL : s->host);
  if (ret != 0) {
    fail->code = "ERR_TLS_INIT";
    snprintf(fail->message, sizeof fail->message, "TLS: session setup failed (-0x%04x)", (unsigned)-ret);
    tls_session_free(s);
    return NULL;
  }
  mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, NULL);
  mbedtls_ssl_set_verify(&s->ssl, on_verify, s);
  s->state = TLS_HANDSHAKING;
  tls_session_advance(s);
  return s;
}

void tls_session_free(tls_session *s) {
  if (!s) return;
  mbedtls_ssl_free(&s->ssl);
  own_free(s->own);
  buf_free(&s->in);
  buf_free(&s->out);
  buf_free(&s->plain);
  free(s);
}

void tls_session_feed(tls_session *s, const uint8_t *data, size_t n, bool eof) {
  if (n) buf_append(&s->in, data, n);
  if (eof) s->eof = true;
}

/* OpenSSL's names for the alerts a server sends, as Node's codes carry them. */
static const struct {
  unsigned char alert;
  const char *code, *text;
} alerts[] = {
    {MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE, "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "sslv3 alert handshake failure"},
    {MBEDTLS_SSL_ALERT_MSG_BAD_CERT, "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", "sslv3 alert bad certificate"},
    {MBEDTLS_SSL_ALERT_MSG_UNEXPECTED_MESSAGE, "ERR_SSL_SSLV3_ALERT_UNEXPECTED_MESSAGE",
     "sslv3 alert unexpected message"},
    {MBEDTLS_SSL_ALERT_MSG_ILLEGAL_PARAMETER, "ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER", "sslv3 alert illegal parameter"},
    {MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION, "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", "tlsv1 alert protocol version"},
    {MBEDTLS_SSL_ALERT_MSG_DECODE_ERROR, "ERR_SSL_TLSV1_ALERT_DECODE_ERROR", "tlsv1 alert decode error"},
    {MBEDTLS_SSL_ALERT_MSG_DECRYPT_ERROR, "ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR", "tlsv1 alert decrypt error"},
    {MBEDTLS_SSL_ALERT_MSG_INTERNAL_ERROR, "ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR", "tlsv1 alert internal error"},
    {MBEDTLS_SSL_ALERT_MSG_INSUFFICIENT_SECURITY, "ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY",
     "tlsv1 alert insufficient security"},
    {MBEDTLS_SSL_ALERT_MSG_UNRECOGNIZED_NAME, "ERR_SSL_TLSV1_UNRECOGNIZED_NAME", "tlsv1 unrecognized name"},
    {MBEDTLS_SSL_ALERT_MSG_NO_APPLICATION_PROTOCOL, "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
     "tlsv1 alert no application protocol"},
    {MBEDTLS_SSL_ALERT_MSG_CERT_REQUIRED, "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
     "tlsv13 alert certificate required"},
};

/** An mbedTLS error in Node's terms. */
static void fail_with(tls_session *s, int ret) {
  if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && s->ssl.in_msg) {
    unsigned char alert = s->ssl.in_msg[1];
    for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++) {
      if (alerts[i].alert == alert) return set_failure(s, alerts[i].code, "%s", alerts[i].text);
    }
    char text[64];
    snprintf(text, sizeof text, "tlsv1 alert %u", alert);
    return set_failure(s, "ERR_SSL_TLSV1_ALERT", "%s", text);
  }
  if (ret == MBEDTLS_ERR_SSL_CONN_EOF) {
    if (s->state == TLS_HANDSHAKING)
      return set_failure(s, "ECONNRESET", "%s",
                         "Client network socket disconnected before secure TLS connection was established");
    return set_failure(s, "ECONNRESET", "%s", "socket hang up");
  }
  // Bytes that are no TLS record at all: a plain-HTTP server, or garbage.
  if (ret == MBEDTLS_ERR_SSL_INVALID_RECORD || ret == MBEDTLS_ERR_SSL_UNEXPECTED_RECORD)
    return set_failure(s, "ERR_SSL_WRONG_VERSION_NUMBER", "%s", "wrong version number");
  if (ret == MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION)
    return set_failure(s, "ERR_SSL_UNSUPPORTED_PROTOCOL", "%s", "unsupported protocol");
  if (ret == MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE)
    return set_failure(s, "ERR_SSL_HANDSHAKE_FAILURE", "%s", "handshake failure");
  if (ret == MBEDTLS_ERR_SSL_DECODE_ERROR) return set_failure(s, "ERR_SSL_DECODE_ERROR", "%s", "decode error");
  if (ret == MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE)
    return set_failure(s, "ERR_SSL_UNEXPECTED_MESSAGE", "%s", "unexpected message");
  if (ret == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER)
    return set_failure(s, "ERR_SSL_ILLEGAL_PARAMETER", "%s", "illegal parameter");
  if (ret == MBEDTLS_ERR_SSL_ALLOC_FAILED) return set_failure(s, "ENOMEM", "%s", "TLS: out of memory");
  char text[64];
  snprintf(text, sizeof text, "TLS error -0x%04x", (unsigned)-ret);
  set_failure(s, "EPROTO", "%s", text);
}

/* The certificate's names as Node lists them: "DNS:a.example, IP Address:127.0.0.1". */
static void list_altnames(const mbedtls_x509_crt *crt, char *out, size_t cap) {
  size_t len = 0;
  out[0] = 0;
  for (const mbedtls_x509_sequence *cur = &crt->subject_alt_names; cur && cur->buf.p; cur = cur->next) {
    mbedtls_x509_subject_alternative_name san;
    if (mbedtls_x509_parse_subject_alt_name(&cur->buf, &san) != 0) continue;
    char item[300] = "";
    const mbedtls_x509_buf *b = &san.san.unstructured_name;
    if (san.type == MBEDTLS_X509_SAN_DNS_NAME)
      snprintf(item, sizeof item, "DNS:%.*s", (int)b->len, b->p);
    else if (san.type == MBEDTLS_X509_SAN_IP_ADDRESS && (b->len == 4 || b->len == 16)) {
      char ip[INET6_ADDRSTRLEN];
      inet_ntop(b->len == 4 ? AF_INET : AF_INET6, b->p, ip, sizeof ip);
      snprintf(item, sizeof item, "IP Address:%s", ip);
    }
    mbedtls_x509_free_subject_alt_name(&san);
    if (!item[0]) continue;
    int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", item);
    if (n < 0 || (size_t)n >= cap - len) break;
    len += (size_t)n;
  }
}

static bool ip_in_altnames(const tls_session *s, const mbedtls_x509_crt *crt) {
  for (const mbedtls_x509_sequence *cur = &crt->subject_alt_names; cur && cur->buf.p; cur = cur->next) {
    mbedtls_x509_subject_alternative_name san;
    if (mbedtls_x509_parse_subject_alt_name(&cur->buf, &san) != 0) continue;
    bool match = san.type == MBEDTLS_X509_SAN_IP_ADDRESS && san.san.unstructured_name.len == s->ip_len &&
                 memcmp(san.san.unstructured_name.p, s->ip, s->ip_len) == 0;
    mbedtls_x509_free_subject_alt_name(&san);
    if (match) return true;
  }
  return false;
}

/*
 * Node's verdict on the chain (OpenSSL's verify codes, then checkServerIdentity): where an
 * untrusted chain stops, and whether that certificate is self-issued, picks one of four codes.
 */
static bool check_peer(tls_session *s) {
  const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(&s->ssl);
  if (!peer) {
    set_failure(s, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "%s", "unable to verify the first certificate");
    return false;
  }
  int top = s->top_depth < 0 ? 0 : s->top_depth;
  uint32_t all = 0;
  for (int d = 0; d <= top; d++) all |= s->depth_flags[d];
  if (s->depth_flags[top] & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    if (s->depth_self_issued[top]) {
      if (top == 0)
        set_failure(s, "DEPTH_ZERO_SELF_SIGNED_CERT", "%s", "self-signed certificate");
      else
        set_failure(s, "SELF_SIGNED_CERT_IN_CHAIN", "%s", "self-signed certificate in certificate chain");
    } else if (top == 0) {
      set_failure(s, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "%s", "unable to verify the first certificate");
    } else {
      set_failure(s, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "%s", "unable to get local issuer certificate");
    }
    return false;
  }
  if (all & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    set_failure(s, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "%s", "unable to get local issuer certificate");
    return false;
  }
  if (all & MBEDTLS_X509_BADCERT_EXPIRED)
    return set_failure(s, "CERT_HAS_EXPIRED", "%s", "certificate has expired"), false;
  if (all & MBEDTLS_X509_BADCERT_FUTURE)
    return set_failure(s, "CERT_NOT_YET_VALID", "%s", "certificate is not yet valid"), false;
  if (all & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE))
    return set_failure(s, "INVALID_PURPOSE", "%s", "unsupported certificate purpose"), false;
  if (all & MBEDTLS_X509_BADCERT_BAD_KEY) return set_failure(s, "EE_KEY_TOO_SMALL", "%s", "ee key too small"), false;
  if (all & MBEDTLS_X509_BADCERT_BAD_MD) return set_failure(s, "CA_MD_TOO_WEAK", "%s", "ca md too weak"), false;
  if (all & (MBEDTLS_X509_BADCERT_REVOKED | MBEDTLS_X509_BADCRL_NOT_TRUSTED | MBEDTLS_X509_BADCRL_EXPIRED))
    return set_failure(s, "CERT_REVOKED", "%s", "certificate revoked"), false;
  bool name_ok = s->ip_len ? ip_in_altnames(s, peer) : !(s->depth_flags[0] & MBEDTLS_X509_BADCERT_CN_MISMATCH);
  if (!name_ok) {
    char names[400];
    list_altnames(peer, names, sizeof names);
    s->state = TLS_FAILED;
    s->failure.code = "ERR_TLS_CERT_ALTNAME_INVALID";
    if (s->ip_len)
      snprintf(s->failure.message, sizeof s->failure.message,
               "Hostname/IP does not match certificate's altnames: IP: %s is not in the cert's list: %s", s->host,
               names);
    else
      snprintf(s->failure.message, sizeof s->failure.message,
               "Hostname/IP does not match certificate's altnames: Host: %s. is not in the cert's altnames: %s",
               s->host, names);
    return false;
  }
  if (all & ~(uint32_t)MBEDTLS_X509_BADCERT_CN_MISMATCH) {
    char text[64];
    snprintf(text, sizeof text, "certificate verify failed (flags 0x%x)", (unsigned)all);
    set_failure(s, "CERT_UNTRUSTED", "%s", text);
    return false;
  }
  return true;
}

tls_state tls_session_advance(tls_session *s) {
  if (s->state == TLS_HANDSHAKING) {
    int ret = mbedtls_ssl_handshake(&s->ssl);
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return s->state;
    if (ret != 0) {
      fail_with(s, ret);
      return s->state;
    }
    // Unverified sessions (rejectUnauthorized: false) keep the verdict for tls_session_info.
    if (!check_peer(s)) {
      if (s->verify) return s->state;
      s->unauthorized = s->failure.code;
    }
    s->state = TLS_OPEN;
  }
  // Records are decrypted one at a time: read until mbedTLS needs more input.
  while (s->state == TLS_OPEN) {
    buf_reserve(&s->plain, 16384);
    int n = mbedtls_ssl_read(&s->ssl, (unsigned char *)buf_tail(&s->plain), 16384);
    if (n > 0) {
      s->plain.len += (size_t)n;
      continue;
    }
    if (n == MBEDTLS_ERR_SSL_WANT_READ || n == MBEDTLS_ERR_SSL_WANT_WRITE) break;
    // A close_notify, or the transport's end without one (Node takes that as the end too).
    if (n == 0 || n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || n == MBEDTLS_ERR_SSL_CONN_EOF) {
      s->state = TLS_CLOSED;
      break;
    }
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
    if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) continue;
#endif
    fail_with(s, n);
  }
  if (s->state == TLS_HANDSHAKING && s->eof && buf_size(&s->in) == 0) fail_with(s, MBEDTLS_ERR_SSL_CONN_EOF);
  return s->state;
}

bool tls_session_write(tls_session *s, const uint8_t *data, size_t n) {
  if (s->state != TLS_OPEN || s->shut) return false;
  while (n > 0) {
    // One record at most per call; the memory output never makes it wait.
    int w = mbedtls_ssl_write(&s->ssl, data, n);
    if (w < 0) {
      fail_with(s, w);
      return false;
    }
    data += w;
    n -= (size_t)w;
  }
  return true;
}

void tls_session_shutdown(tls_session *s) {
  if (s->state == TLS_OPEN && !s->shut) mbedtls_ssl_close_notify(&s->ssl);
  s->shut = true;
}

void tls_session_close(tls_session *s) {
  if (s->state == TLS_OPEN && !s->shut) mbedtls_ssl_close_notify(&s->ssl);
  if (s->state != TLS_FAILED) s->state = TLS_CLOSED;
}

tls_state tls_session_state(const tls_session *s) {
  return s->state;
}
buf *tls_session_output(tls_session *s) {
  return &s->out;
}
buf *tls_session_plain(tls_session *s) {
  return &s->plain;
}
const tls_failure *tls_session_failure(const tls_session *s) {
  return &s->failure;
}

void tls_session_info(const tls_session *s, const char **version, const char **alpn, const char **cipher,
                      const char **unauthorized) {
  const char *a = mbedtls_ssl_get_alpn_protocol(&s->ssl);
  *unauthorized = s->unauthorized;
  *version = mbedtls_ssl_get_version(&s->ssl);
  *alpn = a ? a : "";
  *cipher = mbedtls_ssl_get_ciphersuite(&s->ssl);
}
