/*  observe.c - gauges from the store and the parts, once a second.  See
    observe.h. */
#include <time.h>

#include "net/observe.h"
#include "store/audit.h"
#include "store/conflicts.h"
#include "store/index.h"
#include "store/outbox.h"
#include "store/rosters.h"
#include "xiecha/date.h"

static int
s_outbox_one (const xc_outbox_item_t *item, void *arg)
{
    xc_observed_t *o = arg;
    if (item->state != XC_OUTBOX_PENDING)
        return 0;
    o->outbox_depth++;
    if (!o->outbox_oldest_at || item->created_at < o->outbox_oldest_at)
        o->outbox_oldest_at = item->created_at;
    return 0;
}

void
xc_observe_store (xc_node_t *node, MDB_txn *txn, xc_observed_t *o)
{
    memset (o, 0, sizeof *o);
    uint8_t head[32];
    xc_audit_head (node->store, txn, &o->audit_entries, head);
    uint64_t seq = 0;
    xc_audit_entry_t e;
    if (xc_audit_sealed (node->store, txn, &seq) == 0 && seq
        && xc_audit_get (node->store, txn, seq, &e) == 0)
        o->checkpoint_at = e.time_ms;
    xc_outbox_each (node->store, txn, s_outbox_one, o);
    xc_index_count (node->store, txn, &o->subjects);
    xc_conflicts_count_open (node->store, txn, &o->conflicts_open);
}

static double
s_age_s (uint64_t then, uint64_t now)
{
    return then && now > then ? (double) (now - then) / 1000.0 : 0;
}

static void
s_store_gauges (xc_node_t *node, MDB_txn *txn, uint64_t now)
{
    xc_metrics_t *m = node->metrics;
    xc_observed_t o;
    xc_observe_store (node, txn, &o);
    xc_metrics_gauge (m, "xiecha_audit_entries", (double) o.audit_entries,
                      NULL);
    xc_metrics_gauge (m, "xiecha_audit_checkpoint_age_seconds",
                      o.checkpoint_at ? s_age_s (o.checkpoint_at, now) : -1,
                      NULL);
    xc_metrics_gauge (m, "xiecha_outbox_depth", (double) o.outbox_depth,
                      NULL);
    xc_metrics_gauge (m, "xiecha_outbox_oldest_age_seconds",
                      s_age_s (o.outbox_oldest_at, now), NULL);
    xc_metrics_gauge (m, "xiecha_subjects", (double) o.subjects, NULL);
    xc_metrics_gauge (m, "xiecha_conflicts_open", (double) o.conflicts_open,
                      NULL);
    uint32_t today = xc_node_today (node, now);
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++) {
        xc_roster_date_t r;
        memset (&r, 0, sizeof r);
        xc_rosters_get (node->store, txn, p, &r);
        double age = r.as_of && xc_date_valid (today)
                         ? (double) xc_date_diff (r.as_of, today) : -1;
        xc_metrics_gauge (m, "xiecha_roster_age_days", age, "program",
                          xc_program_name (p), NULL);
    }
}

/*  Counters the parts keep as totals since start. */
static void
s_part_totals (xc_node_t *node)
{
    xc_metrics_t *m = node->metrics;
    uint64_t throttled = 0, unkept = 0, t_throttled = 0, denied = 0;
    xc_limits_totals (node->limits, &throttled, &unkept);
    xc_access_loads (node->access, NULL, 0, &t_throttled, &denied);
    xc_metrics_gauge (m, "xiecha_rate_limit_refusals_total",
                      (double) throttled, "door", "peer", NULL);
    xc_metrics_gauge (m, "xiecha_rate_limit_refusals_total",
                      (double) t_throttled, "door", "terminal", NULL);
}

int
xc_observe_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_observe_args_t *a = arg;
    xc_node_t *node = a->node;
    xc_metrics_t *m = node->metrics;
    uint64_t now = xc_now_ms ();
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn) == 0) {
        s_store_gauges (node, txn, now);
        mdb_txn_abort (txn);
    }
    s_part_totals (node);
    xc_metrics_gauge (m, "xiecha_start_time_seconds",
                      (double) node->started_at / 1000.0, NULL);
    xc_metrics_gauge (m, "xiecha_trust_serial",
                      (double) xc_trust_serial (node->trust), NULL);
    xc_metrics_gauge (m, "xiecha_trust_next_update_seconds",
                      (double) xc_trust_next_update (node->trust) / 1000.0,
                      NULL);
    xc_metrics_gauge (m, "xiecha_disk_full",
                      xc_store_short (node->store) ? 1 : 0, NULL);
    xc_metrics_publish (m);
    return 0;
}

uint64_t
xc_observe_clock_us (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

void
xc_observe_commit (xc_node_t *node, size_t count, uint64_t started_us)
{
    uint64_t us = xc_observe_clock_us () - started_us;
    xc_metrics_observe (node->metrics, "xiecha_commit_seconds",
                        (double) us / 1e6);
    xc_metrics_observe (node->metrics, "xiecha_batch_size", (double) count);
}
