/*  lock.h - one daemon per data directory.

    Two xiechad processes on one LMDB environment would both serve from
    it: the second appends to the live node's audit log and answers for
    its index.  So a node takes, at start and for the life of its
    process, a POSIX write lock (fcntl F_SETLK) on
    <node/data_dir>/xiechad.lock, and writes into that file who holds it:
    pid, node code, endpoints and start time.  The kernel drops the lock
    when the process ends, however it ends (SIGKILL included), so a lock
    file a dead process left behind blocks no one; the next holder
    overwrites what it says.

    POSIX locks belong to the process and go when it closes any
    descriptor of the file: only this module opens it, once. */
#ifndef XIECHAD_LOCK_H
#define XIECHAD_LOCK_H

#include <stddef.h>

#include "node/config.h"

#define XC_LOCK_FILE "xiechad.lock"

typedef struct _xc_lock_t xc_lock_t;

/*  Takes the lock of config's data directory (which must exist) and
    records config's node in it.  Returns NULL with why: when another
    process holds it, naming that daemon ("in use by xiechad pid 4242
    (node 341002, peers tcp://..., clients ipc://..., since ...)"). */
xc_lock_t *xc_lock_new (const xc_config_t *config, char *why,
                        size_t why_len);

/*  Whether another process holds data_dir's lock, without taking it
    (for --check, which may run beside the daemon).  Returns 1 with
    holder describing it as above ("xiechad pid 4242 (node ...)"), 0
    when no one holds it or there is no lock file, -1 with holder saying
    why it could not be told. */
int xc_lock_holder (const char *data_dir, char *holder, size_t holder_len);

/*  Releases the lock (the file stays) and sets *self_p to NULL;
    harmless twice. */
void xc_lock_destroy (xc_lock_t **self_p);

#endif
