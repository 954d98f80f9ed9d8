/*  fixture.h - scratch ground for the daemon's unit tests: a temporary
    directory with a store in it, or two real nodes on disk (keys,
    configs, one trust list, one network salt).

    Every function here fails the running cmocka test on error, so a
    test's setup reads as what it builds, not how it checks each step. */
#ifndef XIECHA_TEST_FIXTURE_H
#define XIECHA_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "node/node.h"
#include "store/store.h"

/*  Makes a fresh directory /tmp/xc-<name>-XXXXXX, its path in dir
    (dir_size bytes; 64 is plenty), and opens a store in it (map_size 0:
    the store's default).  Caller owns the store; free it with
    fixture_store_destroy. */
xc_store_t *fixture_store_new (char *dir, size_t dir_size, const char *name,
                               size_t map_size);

/*  Closes *store_p (if still open), sets it to NULL and removes dir,
    which must hold nothing but the store's two files: anything else
    left there fails the test. */
void fixture_store_destroy (xc_store_t **store_p, const char *dir);

/*  Two nodes sharing one trust list and one salt, each with its own
    directory <root>/<code> holding sign.key, curve.cert, node.zpl and
    data/. */
typedef struct {
    char root[64];          /* mkdtemp directory holding everything */
    uint8_t salt[32];       /* the network salt, as written to salt.hex */
    xc_node_t *a;           /* residence node */
    xc_node_t *b;           /* registration node */
} fixture_fed_t;

/*  Writes the federation under a fresh /tmp/xc-<name>-XXXXXX: node a as
    code_a on peer port port, node b as code_b on port + 1 (written to
    the configs only; nothing binds), then opens both nodes. */
void fixture_fed_open (fixture_fed_t *f, const char *name, const char *code_a,
                       const char *code_b, int port);

/*  Destroys both nodes and removes root with everything under it.
    Returns 0, or -1 if something could not be removed (a cmocka
    teardown's return value). */
int fixture_fed_close (fixture_fed_t *f);

#endif
