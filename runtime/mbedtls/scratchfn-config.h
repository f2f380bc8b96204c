/* mbedTLS 3.6 configuration for scratchfn-runtime (runtime/Makefile passes it as
 * MBEDTLS_CONFIG_FILE to every mbedTLS file and to the core files that include mbedTLS).
 * It keeps what the runtime uses and nothing else, and passes mbedTLS' own
 * check_config.h (every library file includes it through build_info.h):
 *   - crypto.subtle and node:crypto (runtime/core/crypto-*.c, through the legacy mbedtls_*
 *     APIs): MD5 (node:crypto only), SHA-1/2,
 *     HMAC, HKDF, PBKDF2, AES (GCM, CBC, CTR, KW), RSA (PKCS#1 v1.5, PSS, OAEP, key
 *     generation), ECDSA and ECDH on P-256/384/521, X25519, SPKI/PKCS#8 parsing and writing;
 *   - a TLS 1.2 and 1.3 client for fetch: X.509 parsing and chain verification, SNI,
 *     ALPN, AEAD suites only. No server, no DTLS, no renegotiation, no session tickets.
 * Unused code is dropped at link time (-ffunction-sections, --gc-sections), so a module
 * enabled here costs nothing until the core calls it. */
#ifndef SCRATCHFN_MBEDTLS_CONFIG_H
#define SCRATCHFN_MBEDTLS_CONFIG_H

/* System */
#define MBEDTLS_HAVE_ASM       /* x86-64 bignum multiply in inline assembly */
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE /* certificate validity */
#define MBEDTLS_AESNI_C        /* AES-NI and PCLMUL, detected at run time */

/* Entropy. mbedTLS reads getrandom(2) itself only on glibc; on musl it would fall back to
 * fopen("/dev/urandom") through stdio. So no platform source, and the runtime's
 * mbedtls_hardware_poll() (runtime/core/crypto-random.c) calls getrandom(2). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C

/* Symmetric */
#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CIPHER_MODE_CBC /* AES-CBC; TLS never offers CBC suites (see MBEDTLS_SSL_CIPHERSUITES) */
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_PADDING_PKCS7
#define MBEDTLS_GCM_C
#define MBEDTLS_NIST_KW_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C

/* Hashes, MAC, key derivation */
#define MBEDTLS_MD_C
#define MBEDTLS_MD5_C /* node:crypto's createHash('md5'), still common for ETags and cache keys */
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HKDF_C
#define MBEDTLS_PKCS5_C /* PBKDF2 */

/* Public key */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_GENPRIME
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21 /* PSS and OAEP; TLS 1.3's rsa_pss_rsae */
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C /* CA bundles */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C

/* PSA crypto: TLS 1.3 always goes through it. Its mechanisms derive from the options
 * above (no MBEDTLS_PSA_CRYPTO_CONFIG), keys are volatile (no storage). Not
 * MBEDTLS_USE_PSA_CRYPTO: that routes TLS 1.2, X.509 and PK through PSA too, for 18 KB
 * more, and crypto.subtle uses the legacy APIs (PSA here lacks PBKDF2 and AES-KW). */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_KEY_STORE_DYNAMIC

/* X.509 */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
#define MBEDTLS_X509_REMOVE_INFO /* no text dumpers; mbedtls_x509_dn_gets stays */

/* TLS client */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE /* TLS 1.3 needs it */
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
/* What the client offers, best first: (EC)DHE with AEAD only. */
#define MBEDTLS_SSL_CIPHERSUITES                                                                                   \
  MBEDTLS_TLS1_3_AES_128_GCM_SHA256, MBEDTLS_TLS1_3_AES_256_GCM_SHA384, MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,   \
      MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,              \
      MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,              \
      MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256

#endif
