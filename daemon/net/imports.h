/*  imports.h - roster imports at the client door.

    BEGIN, ROWS and ABORT change memory only and are answered at once.
    COMMIT seals the import (decide/roster.h: sorted, checked whole) and
    hands it to the slices: a timer of the loop applies one slice at a
    time, each in its own write transaction, so the loop answers peers
    and terminals between them; the terminal hears the summary when the
    last slice commits.  One import is applied at a time; staged imports
    left idle for ten minutes are dropped. */
#ifndef XIECHAD_IMPORTS_H
#define XIECHAD_IMPORTS_H

#include <czmq.h>

#include "net/batch.h"
#include "net/clients.h"
#include "net/delivery.h"
#include "node/node.h"

typedef struct _xc_imports_t xc_imports_t;

/*  Everything borrowed; clients answers the terminals (a COMMIT stays
    outstanding there until its import is applied), delivery takes the
    conflict notices the slices queue.  Returns NULL when out of
    memory. */
xc_imports_t *xc_imports_new (xc_node_t *node, zloop_t *loop,
                              xc_clients_t *clients,
                              xc_delivery_t *delivery);

/*  Drops every import (one being applied stops where its last slice
    committed: its programs read as interrupted at the next start) and
    sets *self_p to NULL; harmless twice. */
void xc_imports_destroy (xc_imports_t **self_p);

/*  One import step of a terminal (it->req->import), answered now or, a
    COMMIT, when the import is applied. */
void xc_imports_step (xc_imports_t *self, xc_item_t *it);

#endif
