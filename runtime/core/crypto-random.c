// [crypto-random.c] The randomness mbedTLS draws from (RSA and EC key generation,
// blinding, PSS salts, OAEP seeds, ECDSA nonces): one CTR_DRBG for the process, seeded
// from getrandom(2) the first time a key or signature needs it, so a function that uses
// no crypto never reads entropy at start. It reseeds itself every
// MBEDTLS_CTR_DRBG_RESEED_INTERVAL requests. crypto.getRandomValues stays on
// getrandom(2) directly (os.c): it is already native and needs no state.
#include "crypto.h"
#include "util.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include <errno.h>
#include <sys/random.h>

/* MBEDTLS_ENTROPY_HARDWARE_ALT (runtime/mbedtls/scratchfn-config.h): mbedtls_entropy_init
   registers this as a strong source of every entropy context, PSA's own included. */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = getrandom(output + got, len - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      *olen = got;
      return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    }
    got += (size_t)n;
  }
  *olen = got;
  return 0;
}

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static bool seeded;

int crypto_random(void *ctx, unsigned char *out, size_t len) {
  if (!seeded) {
    static const unsigned char personalization[] = "scratchfn-runtime";
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    int ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, personalization, sizeof personalization - 1);
    if (ret != 0) {
      mbedtls_ctr_drbg_free(&drbg);
      mbedtls_entropy_free(&entropy);
      return ret;
    }
    seeded = true;
  }
  // One request is at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes; RSA prime searches ask for more.
  while (len > 0) {
    size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
    int ret = mbedtls_ctr_drbg_random(&drbg, out, n);
    if (ret != 0) return ret;
    out += n;
    len -= n;
  }
  return 0;
}
