// A TLS client session that never touches a socket: ciphertext goes in with
// tls_session_feed and comes out of tls_session_output, plaintext comes out of
// tls_session_plain. Whoever owns the transport (fetch over a TCP socket today, a socket's
// startTls() later, a fuzzer) moves the bytes. Certificates are verified as Node verifies
// them, and a failure is described with Node's error code (tls_session_failure).
#pragma once
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tls_session tls_session;

typedef enum tls_state { TLS_HANDSHAKING, TLS_OPEN, TLS_CLOSED, TLS_FAILED } tls_state;

typedef struct tls_session_options {
  /** The host as the URL names it: a DNS name (sent as SNI, checked against the
      certificate) or an IP literal (no SNI, checked against the IP SANs). */
  const char *host;
  /** false: complete the handshake whatever the certificate (rejectUnauthorized: false). */
  bool verify;
  /** PEM certificates trusted instead of the trust store (Node's `ca` option), NUL-terminated; NULL: the store. */
  const char *ca_pem;
  /** Offer no ALPN protocol (sockets, as Node's tls.connect without ALPNProtocols); fetch offers http/1.1. */
  bool no_alpn;
} tls_session_options;

typedef struct tls_failure {
  /** Node's code: CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_..., ECONNRESET. */
  const char *code;
  /** Node's message for it (OpenSSL's text for verification and alerts). */
  char message[512];
} tls_failure;

/** A session that has queued its ClientHello in the output; NULL with *fail set when it cannot start. */
tls_session *tls_session_new(const tls_session_options *o, tls_failure *fail);
void tls_session_free(tls_session *s);

/** Queues ciphertext from the peer; `eof` says the transport closed after it. */
void tls_session_feed(tls_session *s, const uint8_t *data, size_t n, bool eof);
/** Runs the handshake or decrypts what was fed, as far as the input goes. */
tls_state tls_session_advance(tls_session *s);
/** Encrypts plaintext into the output; false unless the session is open. */
bool tls_session_write(tls_session *s, const uint8_t *data, size_t n);
/** Queues a close_notify alert. */
void tls_session_close(tls_session *s);
/** Queues a close_notify alert but goes on decrypting what the peer sends (a half-close); writes end. */
void tls_session_shutdown(tls_session *s);

tls_state tls_session_state(const tls_session *s);
/** Ciphertext to send to the peer; the caller consumes it. */
buf *tls_session_output(tls_session *s);
/** Decrypted data; the caller consumes it. */
buf *tls_session_plain(tls_session *s);
/** Why the session failed (state TLS_FAILED). */
const tls_failure *tls_session_failure(const tls_session *s);
/** After the handshake: "TLSv1.3", the ALPN protocol ("" for none), the cipher suite, and for an
    unverified session Node's code for what verification found (NULL: nothing). */
void tls_session_info(const tls_session *s, const char **version, const char **alpn, const char **cipher,
                      const char **unauthorized);

/** The trusted CAs (tls-trust.c), read from the files the environment names on first use. */
struct mbedtls_x509_crt;
struct mbedtls_x509_crt *tls_trust(void);
/** Certificates in the trust store, and the warnings loading it gave (for tests and logs). */
int tls_trust_count(void);
