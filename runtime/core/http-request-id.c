#include "http-request-id.h"
#include "loop.h"
#include <stdint.h>
#include <sys/random.h>

bool http_request_id_valid(http_str s) {
  if (s.n < 1 || s.n > HTTP_REQUEST_ID_MAX) return false;
  for (size_t i = 0; i < s.n; i++) {
    char c = s.p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  }
  return true;
}

/* xoshiro256**, seeded once from getrandom: request ids need to be unique, not secret. */
static uint64_t rng[4];
static uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
static uint64_t next_random(void) {
  if (!(rng[0] | rng[1] | rng[2] | rng[3])) {
    if (getrandom(rng, sizeof rng, 0) != sizeof rng) rng[0] = (uint64_t)loop_clock() | 1;
  }
  uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;
  rng[2] ^= rng[0], rng[3] ^= rng[1], rng[1] ^= rng[2], rng[0] ^= rng[3];
  rng[2] ^= t, rng[3] = rotl(rng[3], 45);
  return result;
}

uint64_t http_random_u64(void) {
  return next_random();
}

void http_request_id_generate(char *out) {
  static const char hex[] = "0123456789abcdef";
  uint64_t r[2] = {next_random(), next_random()};
  for (int i = 0; i < HTTP_REQUEST_ID_GENERATED; i++) out[i] = hex[(r[i / 16] >> ((i % 16) * 4)) & 15];
}
