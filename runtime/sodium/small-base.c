/* Ed25519's fixed-base multiplication without ref10's 32 KB precomputed table: the
 * constant-time variable-base ladder (ge25519_scalarmult) on the base point B. Sign and
 * key generation get 2-3x slower (about 0.15 ms each) for 30 KB less binary.
 * runtime/Makefile compiles libsodium's sign.c and keypair.c with
 * -Dge25519_scalarmult_base=ed_small_scalarmult_base so they call this one. */
#include "private/ed25519_ref10.h"

void ed_small_scalarmult_base(ge25519_p3 *h, const unsigned char *a);

/* B, encoded: y = 4/5, x positive. */
static const unsigned char base_point[32] = {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                             0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                             0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};

void ed_small_scalarmult_base(ge25519_p3 *h, const unsigned char *a) {
  static ge25519_p3 base;
  static int decoded;
  if (!decoded) {
    ge25519_frombytes(&base, base_point);
    decoded = 1;
  }
  ge25519_scalarmult(h, a, &base);
}
