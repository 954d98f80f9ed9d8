/*  jobs.h - the back office's requests, one job each: a client request
    that reads the whole audit log, answered from one read transaction
    (a consistent snapshot however long it runs).  The request table
    (net/requests.c) names the job of each back-office request kind; the
    worker thread (net/worker.h) runs it.

    Each job takes the node (read only: its store, config and signing
    key), an open read transaction and the request, and returns the
    packed ClientReply echoing the request id, an error reply when the
    request cannot be answered, or NULL only when out of memory. */
#ifndef XIECHAD_JOBS_H
#define XIECHAD_JOBS_H

#include <czmq.h>
#include <lmdb.h>

#include "node/node.h"

typedef zframe_t *(xc_job_fn) (xc_node_t *node, MDB_txn *txn,
                               const Xiecha__ClientRequest *req);

/*  Monthly statistics over the log, signed (monthly.h). */
xc_job_fn xc_jobs_report;
/*  One page of an audit export (export_page.h). */
xc_job_fn xc_jobs_export;
/*  The index rebuilt from the log and compared (replay.h). */
xc_job_fn xc_jobs_replay;
/*  A certificate's place in the log, with its inclusion proof
    (prove.h). */
xc_job_fn xc_jobs_prove;

/*  An error reply to req: code, and why (xc_strerror when empty). */
zframe_t *xc_jobs_error (const Xiecha__ClientRequest *req, int code,
                         const char *why);

#endif
