/*  audit-bench.c - how fast does an exported audit log verify offline,
    and how close is that to the signature-bound limit?

    One run on one machine:
      1. baseline: Ed25519 verify through xc_verify (200 B, as xiecha-bench
         measures it) for --seconds;
      2. builds, in memory, a synthetic but valid export of N entries with
         the real entry layout (daemon/audit.h) of registration node
         341002: entry 1 START, then alternately a DECISION note and an
         envelope really sealed with xc_envelope_seal (RECEIVED: a query
         signed by 469021; SENT: a certificate signed by 341002), and a
         checkpoint signed with xc_checkpoint_sign every --every entries
         (kind 9, over the entries before it).  Both keys are fresh and
         listed in a trust list written to a temporary file and read back
         with xc_trust_load;
      3. times xc_auditfile_verify on it, and reports entries/s,
         envelopes/s and signatures/s against the verify rate of 1;
      4. times xc_auditfile_verify_threads on --threads threads (default:
         the CPUs online), reports the same rates, the speed-up over one
         thread, and whether the two reports are identical.
    The last entry is always a checkpoint, so the export is covered and
    verifies VALID.

    Nothing asserts on timing.  The exit status is 1 when the export does
    not verify, or the report does not count what was generated. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

#include "xiecha/xiecha.h"
#include "xiecha/auditfile.h"
#include "xiecha/bytes.h"
#include "xiecha/checkpoint.h"
#include "xiecha/merkle.h"

#define S_NODE "341002"        /* Tunxi District, Anhui: the log's node */
#define S_PEER "469021"        /* Ding'an County, Hainan: asks */
#define S_T0 1780000000000ULL  /* 2026-05-28, inside the keys' validity */
#define S_PAYLOAD 200          /* bytes signed in the verify baseline */
#define S_HEADER 56            /* daemon/audit.h XC_AUDIT_HEADER */
#define S_MAX_LEVELS 64

enum { S_START = 1, S_RECEIVED = 2, S_SENT = 3, S_DECISION = 5,
       S_CHECKPOINT = 9 };

typedef struct {
    size_t entries;
    size_t every;          /* checkpoint period */
    double seconds;        /* Ed25519 baseline duration */
    unsigned threads;      /* for the parallel run; 0: CPUs online */
    const char *save;      /* also write the export here; NULL: don't */
    bool json;
} s_opts_t;

typedef struct {
    double verify_rate;    /* xc_verify / s */
    double verify_cpu_rate;   /* xc_verify / CPU s */
    double gen_s, verify_s;
    double verify_cpu_s;   /* CPU seconds of the one-thread verify */
    double par_cpu_s;      /* CPU seconds of the parallel one, all threads */
    size_t bytes;
    uint64_t envelopes, checkpoints, decisions;  /* generated */
    xc_auditfile_report_t rep;
    int rc;
    unsigned threads;      /* of the parallel run */
    double par_s;          /* its time */
    xc_auditfile_report_t par_rep;
    int par_rc;
    bool same;             /* both runs gave the same code and report */
} s_report_t;

/* ---- small helpers ------------------------------------------------------ */

static double
s_clock (clockid_t id)
{
    struct timespec ts;
    clock_gettime (id, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double
s_now (void)
{
    return s_clock (CLOCK_MONOTONIC);
}

/*  CPU seconds of the whole process: on a shared machine the ratio of
    two one-thread rates in CPU time does not depend on what else ran,
    where wall-clock rates do. */
static double
s_cpu (void)
{
    return s_clock (CLOCK_PROCESS_CPUTIME_ID);
}

static void
s_progress (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

static void
s_progress (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fputs ("xiecha-audit-bench: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
}

static void
s_die (const char *fmt, ...) __attribute__ ((format (printf, 1, 2), noreturn));

static void
s_die (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fputs ("xiecha-audit-bench: error: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    exit (1);
}

/* ---- baseline: Ed25519 verify -------------------------------------------- */

/*  Blocks of 64 keep the clock out of the measured cost.  Sets *cpu_rate
    to the same rate per CPU second. */
static double
s_verify_rate (double seconds, double *cpu_rate)
{
    xc_key_t *key = xc_key_generate ();
    if (!key)
        s_die ("cannot generate an Ed25519 key");
    uint8_t msg[S_PAYLOAD], sig[XC_SIG_LEN];
    xc_random (msg, sizeof msg);
    if (xc_sign (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig) != 0)
        s_die ("xc_sign failed");
    size_t ops = 0;
    double start = s_now (), now = start, cpu0 = s_cpu ();
    while (now - start < seconds) {
        for (int i = 0; i < 64; i++)
            if (xc_verify (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig,
                           XC_SIG_LEN) != 0)
                s_die ("xc_verify failed");
        ops += 64;
        now = s_now ();
    }
    *cpu_rate = (double) ops / (s_cpu () - cpu0);
    xc_key_destroy (&key);
    return (double) ops / (now - start);
}

/* ---- the synthetic log -------------------------------------------------- */

typedef struct {
    xc_key_t *key[2];              /* 0: S_NODE, 1: S_PEER */
    char id[2][XC_KEY_ID_LEN + 1];
    xc_trust_t *trust;
    char dir[64], path[96];
    /* the log */
    xc_auditfile_t file;
    uint8_t prev[32];              /* hash of the last entry */
    uint8_t *entry;                /* scratch for one entry */
    size_t entry_cap;
    /* RFC 9162 compact range: the roots of the perfect subtrees that
       make up the tree so far, largest first, and their sizes */
    uint8_t range[S_MAX_LEVELS][32];
    uint64_t range_size[S_MAX_LEVELS];
    size_t range_len;
    uint64_t leaves;
} s_log_t;

static void
s_trust_file (s_log_t *l)
{
    snprintf (l->dir, sizeof l->dir, "%s", "/tmp/xc-auditbench-XXXXXX");
    const char *tmp = getenv ("TMPDIR");
    if (tmp && *tmp && strlen (tmp) < 40)
        snprintf (l->dir, sizeof l->dir, "%s/xc-auditbench-XXXXXX", tmp);
    if (!mkdtemp (l->dir))
        s_die ("mkdtemp %s: %s", l->dir, strerror (errno));
    snprintf (l->path, sizeof l->path, "%s/trust.zpl", l->dir);
    FILE *f = fopen (l->path, "w");
    if (!f)
        s_die ("%s: %s", l->path, strerror (errno));
    fprintf (f, "trust\n    version = 1\n");
    const char *codes[2] = {S_NODE, S_PEER};
    for (int i = 0; i < 2; i++) {
        l->key[i] = xc_key_generate ();
        if (!l->key[i])
            s_die ("cannot generate an Ed25519 key");
        uint8_t pub[XC_PUBKEY_LEN];
        char hex[2 * XC_PUBKEY_LEN + 1];
        xc_key_public (l->key[i], pub);
        xc_key_id (pub, l->id[i]);
        xc_hex (pub, sizeof pub, hex);
        zcert_t *curve = zcert_new ();
        if (!curve)
            s_die ("cannot generate a CURVE key");
        fprintf (f,
                 "    node\n        code = \"%s\"\n        name = \"N%d\"\n"
                 "        endpoint = \"tcp://127.0.0.1:%d\"\n"
                 "        curve = \"%s\"\n        key\n"
                 "            public = \"%s\"\n"
                 "            not_before = \"2026-01-01T00:00:00Z\"\n"
                 "            not_after = \"2028-01-01T00:00:00Z\"\n",
                 codes[i], i, 7101 + i, zcert_public_txt (curve), hex);
        zcert_destroy (&curve);
    }
    if (fclose (f) != 0)
        s_die ("%s: %s", l->path, strerror (errno));
    char why[300] = "";
    l->trust = xc_trust_load (l->path, why, sizeof why);
    if (!l->trust)
        s_die ("trust list: %s", why);
}

/*  Adds entry hash h as the next leaf of the compact range. */
static void
s_range_add (s_log_t *l, const uint8_t h[32])
{
    uint8_t node[32];
    xc_merkle_leaf_hash (h, 32, node);
    uint64_t size = 1;
    while (l->range_len > 0 && l->range_size[l->range_len - 1] == size) {
        l->range_len--;
        xc_merkle_node_hash (l->range[l->range_len], node, node);
        size *= 2;
    }
    memcpy (l->range[l->range_len], node, 32);
    l->range_size[l->range_len++] = size;
    l->leaves++;
}

/*  The RFC 9162 root of the leaves so far: the subtrees folded from the
    right, which is MTH's split at the largest power of two below n. */
static void
s_range_root (const s_log_t *l, uint8_t out[32])
{
    if (l->range_len == 0) {
        xc_merkle_root (NULL, 0, out);
        return;
    }
    memcpy (out, l->range[l->range_len - 1], 32);
    for (size_t i = l->range_len - 1; i-- > 0;)
        xc_merkle_node_hash (l->range[i], out, out);
}

/*  Appends one entry (layout of daemon/audit.h) to the export. */
static void
s_append (s_log_t *l, uint64_t seq, int kind, const char *peer,
          const char *note, const uint8_t *data, size_t data_len)
{
    size_t note_len = note ? strlen (note) : 0;
    size_t len = S_HEADER + note_len + data_len;
    if (len > l->entry_cap) {
        l->entry_cap = len * 2;
        l->entry = realloc (l->entry, l->entry_cap);
        if (!l->entry)
            s_die ("out of memory");
    }
    uint8_t *e = l->entry;
    memset (e, 0, S_HEADER);
    e[0] = 1;
    e[1] = (uint8_t) kind;
    xc_put_u16 (e + 2, (uint16_t) note_len);
    xc_put_u32 (e + 4, (uint32_t) data_len);
    xc_put_u64 (e + 8, S_T0 + seq);
    memcpy (e + 16, l->prev, 32);
    if (peer)
        memcpy (e + 48, peer, strnlen (peer, 6));
    if (note_len)
        memcpy (e + S_HEADER, note, note_len);
    if (data_len)
        memcpy (e + S_HEADER + note_len, data, data_len);
    if (xc_auditfile_add (&l->file, seq, e, len, 1) != 0)
        s_die ("out of memory");
    xc_sha256 (e, len, l->prev);
    s_range_add (l, l->prev);
}

/*  A query from S_PEER (RECEIVED) or a certificate by S_NODE (SENT), as
    test_envelope.c builds them: two subjects, or one result. */
static void
s_envelope (s_log_t *l, uint64_t seq, int sent, uint8_t **out,
            size_t *out_len)
{
    Xiecha__Signed msg;
    Xiecha__Header hdr;
    uint8_t msg_id[XC_MSGID_LEN];
    uint8_t subj[2][XC_REF_LEN], qid[XC_MSGID_LEN], qdigest[XC_HASH_LEN];
    ProtobufCBinaryData subjects[2];
    Xiecha__Program programs[2] = {XIECHA__PROGRAM__DIBAO,
                                   XIECHA__PROGRAM__TEMP};
    Xiecha__Query query;
    Xiecha__Certificate cert;
    Xiecha__SubjectResult result, *results[1] = {&result};
    uint64_t now = S_T0 + seq;
    xiecha__signed__init (&msg);
    xc_random (subj, sizeof subj);
    if (!sent) {
        xc_header_init (&hdr, msg_id, XIECHA__MSG_TYPE__MSG_QUERY, S_PEER,
                        S_NODE, now);
        xiecha__query__init (&query);
        for (int i = 0; i < 2; i++) {
            subjects[i].data = subj[i];
            subjects[i].len = XC_REF_LEN;
        }
        query.subjects = subjects;
        query.n_subjects = 2;
        query.programs = programs;
        query.n_programs = 2;
        query.relation = XIECHA__RELATION__OTHER_PROVINCE;
        msg.body_case = XIECHA__SIGNED__BODY_QUERY;
        msg.query = &query;
    }
    else {
        xc_header_init (&hdr, msg_id, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                        S_NODE, S_PEER, now);
        xiecha__certificate__init (&cert);
        xc_random (qid, sizeof qid);
        xc_random (qdigest, sizeof qdigest);
        cert.query_id.data = qid;
        cert.query_id.len = sizeof qid;
        cert.query_digest.data = qdigest;
        cert.query_digest.len = sizeof qdigest;
        cert.requester = (char *) S_PEER;
        xiecha__subject_result__init (&result);
        result.subject.data = subj[0];
        result.subject.len = XC_REF_LEN;
        result.status = XIECHA__STATUS__NOT_RECEIVING;
        cert.results = results;
        cert.n_results = 1;
        cert.programs = programs;
        cert.n_programs = 1;
        cert.issued_at = now;
        cert.valid_until = now + 86400000ULL;
        cert.relation = XIECHA__RELATION__OTHER_PROVINCE;
        msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
        msg.certificate = &cert;
    }
    msg.header = &hdr;
    int k = sent ? 0 : 1;
    int rc = xc_envelope_seal (&msg, l->key[k], l->id[k], out, out_len);
    if (rc != 0)
        s_die ("xc_envelope_seal: %s", xc_strerror (rc));
}

static void
s_generate (const s_opts_t *o, s_log_t *l, s_report_t *r)
{
    if (xc_auditfile_init (&l->file, o->entries, 1, o->entries) != 0)
        s_die ("out of memory");
    static const char *notes[4] = {
        "query answered: 2 subjects, DIBAO TEMP",
        "certificate issued",
        "roster row matched",
        "policy: allowed (other province)"};
    size_t next_progress = 100000;
    uint64_t envelope_n = 0;
    for (uint64_t seq = 1; seq <= o->entries; seq++) {
        if (seq == 1)
            s_append (l, seq, S_START, NULL, "xiecha bench", NULL, 0);
        else if (seq % o->every == 0 || seq == o->entries) {
            xc_checkpoint_t cp = {.tree_size = seq - 1, .time_ms = S_T0 + seq};
            s_range_root (l, cp.root);
            snprintf (cp.node, sizeof cp.node, "%s", S_NODE);
            snprintf (cp.key_id, sizeof cp.key_id, "%s", l->id[0]);
            uint8_t data[XC_CHECKPOINT_LEN];
            int rc = xc_checkpoint_sign (&cp, l->key[0], data);
            if (rc != 0)
                s_die ("xc_checkpoint_sign: %s", xc_strerror (rc));
            s_append (l, seq, S_CHECKPOINT, NULL, NULL, data, sizeof data);
            r->checkpoints++;
        }
        else if (seq % 2 == 1) {
            s_append (l, seq, S_DECISION, seq % 3 ? S_PEER : NULL,
                      notes[seq % 4], NULL, 0);
            r->decisions++;
        }
        else {
            int sent = (int) (envelope_n++ & 1);
            uint8_t *env;
            size_t env_len;
            s_envelope (l, seq, sent, &env, &env_len);
            s_append (l, seq, sent ? S_SENT : S_RECEIVED, S_PEER, NULL, env,
                      env_len);
            free (env);
            r->envelopes++;
        }
        if (seq == next_progress) {
            s_progress ("generated %" PRIu64 " of %zu entries", seq,
                        o->entries);
            next_progress += 100000;
        }
    }
    r->bytes = l->file.len;
}

/*  --save: the export as a file, and the trust list beside it, so that
    `xiecha audit verify FILE --trust FILE.trust.zpl` (which maps the file,
    client/cli_files.c) can be timed on the same log. */
static void
s_save (const s_log_t *l, const char *path)
{
    FILE *f = fopen (path, "w");
    if (!f || fwrite (l->file.data, 1, l->file.len, f) != l->file.len
        || fclose (f) != 0)
        s_die ("%s: %s", path, strerror (errno));
    char tpath[4096];
    snprintf (tpath, sizeof tpath, "%s.trust.zpl", path);
    FILE *in = fopen (l->path, "r"), *out = fopen (tpath, "w");
    char buf[4096];
    size_t n;
    while (in && out && (n = fread (buf, 1, sizeof buf, in)) > 0)
        if (fwrite (buf, 1, n, out) != n)
            break;
    if (!in || !out || ferror (in) || fclose (out) != 0)
        s_die ("%s: cannot copy the trust list", tpath);
    fclose (in);
    s_progress ("saved %s and %s", path, tpath);
}

/* ---- report ------------------------------------------------------------- */

static double
s_div (double a, double b)
{
    return b > 0 ? a / b : 0;
}

static void
s_print_text (const s_opts_t *o, const s_report_t *r, const char *date)
{
    const xc_auditfile_report_t *v = &r->rep;
    double sigs = (double) (v->envelopes + v->checkpoints);
    printf ("xiecha-audit-bench  %s  (%ld cores)\n", date,
            sysconf (_SC_NPROCESSORS_ONLN));
    printf ("baseline\n");
    printf ("  %-34s %11.0f /s\n", "Ed25519 verify (xc_verify, 200 B)",
            r->verify_rate);
    printf ("export (in memory, %.1f MB, generated in %.1f s)\n",
            (double) r->bytes / 1e6, r->gen_s);
    printf ("  %-34s %11" PRIu64 "\n", "entries", v->entries);
    printf ("  %-34s %11" PRIu64 "\n", "envelopes (received/sent)",
            v->envelopes);
    printf ("  %-34s %11" PRIu64 " (every %zu)\n", "signed checkpoints",
            v->checkpoints, o->every);
    printf ("  %-34s %11" PRIu64 "\n", "decisions", r->decisions);
    printf ("xc_auditfile_verify: %s, %.2f s\n",
            r->rc == 0 ? "ok" : v->why, r->verify_s);
    printf ("  %-34s %11.0f /s\n", "entries", s_div (v->entries, r->verify_s));
    printf ("  %-34s %11.0f /s\n", "envelopes verified",
            s_div (v->envelopes, r->verify_s));
    printf ("  %-34s %11.0f /s\n", "signatures (envelopes + checkpoints)",
            s_div (sigs, r->verify_s));
    printf ("ratios\n");
    printf ("  %-34s %11.3f\n", "envelopes/s / Ed25519 verify/s",
            s_div (s_div (v->envelopes, r->verify_s), r->verify_rate));
    printf ("  %-34s %11.3f\n", "signatures/s / Ed25519 verify/s",
            s_div (s_div (sigs, r->verify_s), r->verify_rate));
    printf ("  %-34s %11.2f s\n", "signature-bound time (sigs/rate)",
            s_div (sigs, r->verify_rate));
    printf ("ratios in CPU time (load-independent)\n");
    printf ("  %-34s %11.0f /CPU s\n", "Ed25519 verify",
            r->verify_cpu_rate);
    printf ("  %-34s %11.0f /CPU s (%.2f CPU s)\n", "signatures verified",
            s_div (sigs, r->verify_cpu_s), r->verify_cpu_s);
    printf ("  %-34s %11.3f\n", "signatures/CPU s / verify/CPU s",
            s_div (s_div (sigs, r->verify_cpu_s), r->verify_cpu_rate));
    printf ("xc_auditfile_verify_threads, %u threads: %s, %.2f s, %s\n",
            r->threads, r->par_rc == 0 ? "ok" : r->par_rep.why, r->par_s,
            r->same ? "same report" : "REPORT DIFFERS");
    printf ("  %-34s %11.0f /s\n", "signatures (envelopes + checkpoints)",
            s_div (sigs, r->par_s));
    printf ("  %-34s %11.3f\n", "signatures/s / Ed25519 verify/s",
            s_div (s_div (sigs, r->par_s), r->verify_rate));
    printf ("  %-34s %11.2fx\n", "speed-up over one thread",
            s_div (r->verify_s, r->par_s));
    printf ("  %-34s %11.2f (of %u)\n", "CPUs busy (CPU s / wall s)",
            s_div (r->par_cpu_s, r->par_s), r->threads);
    printf ("  %-34s %11.3f\n", "CPU s, parallel / one thread",
            s_div (r->par_cpu_s, r->verify_cpu_s));
}

static void
s_print_json (const s_opts_t *o, const s_report_t *r, const char *date)
{
    const xc_auditfile_report_t *v = &r->rep;
    double sigs = (double) (v->envelopes + v->checkpoints);
    char why[sizeof v->why * 2];
    size_t j = 0;
    for (const char *p = v->why; *p && j + 2 < sizeof why; p++) {
        if (*p == '"' || *p == '\\')
            why[j++] = '\\';
        why[j++] = (char) (*p < 0x20 ? ' ' : *p);
    }
    why[j] = '\0';
    printf ("{\"date\": \"%s\", \"cores\": %ld,\n", date,
            sysconf (_SC_NPROCESSORS_ONLN));
    printf (" \"ed25519_verify_per_s\": %.0f,\n", r->verify_rate);
    printf (" \"export\": {\"bytes\": %zu, \"generate_s\": %.3f, "
            "\"entries\": %zu, \"envelopes\": %" PRIu64
            ", \"checkpoints\": %" PRIu64 ", \"checkpoint_every\": %zu, "
            "\"decisions\": %" PRIu64 "},\n",
            r->bytes, r->gen_s, o->entries, r->envelopes, r->checkpoints,
            o->every, r->decisions);
    printf (" \"verify\": {\"ok\": %s, \"why\": \"%s\", \"seconds\": %.3f, "
            "\"entries\": %" PRIu64 ", \"envelopes\": %" PRIu64
            ", \"checkpoints\": %" PRIu64 ",\n",
            r->rc == 0 ? "true" : "false", why, r->verify_s, v->entries,
            v->envelopes, v->checkpoints);
    printf ("   \"entries_per_s\": %.0f, \"envelopes_per_s\": %.0f, "
            "\"signatures_per_s\": %.0f},\n",
            s_div (v->entries, r->verify_s),
            s_div (v->envelopes, r->verify_s), s_div (sigs, r->verify_s));
    printf (" \"ratio_envelopes_to_ed25519\": %.4f,\n",
            s_div (s_div (v->envelopes, r->verify_s), r->verify_rate));
    printf (" \"ratio_signatures_to_ed25519\": %.4f,\n",
            s_div (s_div (sigs, r->verify_s), r->verify_rate));
    printf (" \"signature_bound_s\": %.3f,\n", s_div (sigs, r->verify_rate));
    printf (" \"cpu\": {\"ed25519_verify_per_cpu_s\": %.0f, "
            "\"verify_cpu_s\": %.3f, \"ratio_signatures_to_ed25519\": %.4f, "
            "\"parallel_cpu_s\": %.3f},\n",
            r->verify_cpu_rate, r->verify_cpu_s,
            s_div (s_div (sigs, r->verify_cpu_s), r->verify_cpu_rate),
            r->par_cpu_s);
    printf (" \"parallel\": {\"threads\": %u, \"ok\": %s, \"seconds\": %.3f, "
            "\"same_report\": %s, \"signatures_per_s\": %.0f, "
            "\"ratio_signatures_to_ed25519\": %.4f, \"speedup\": %.3f}}\n",
            r->threads, r->par_rc == 0 ? "true" : "false", r->par_s,
            r->same ? "true" : "false", s_div (sigs, r->par_s),
            s_div (s_div (sigs, r->par_s), r->verify_rate),
            s_div (r->verify_s, r->par_s));
}

/* ---- main --------------------------------------------------------------- */

static void
s_usage (FILE *f)
{
    fprintf (f,
"usage: xiecha-audit-bench [options]\n"
"  --entries N   entries in the synthetic export (1000000)\n"
"  --every N     a signed checkpoint every N entries (10000)\n"
"  --seconds S   duration of the Ed25519 verify baseline (1.0)\n"
"  --threads N   threads of the parallel verify (the CPUs online)\n"
"  --quick       20000 entries\n"
"  --save FILE   also write the export to FILE and the trust list to\n"
"                FILE.trust.zpl, for `xiecha audit verify`\n"
"  --json        machine-readable report\n"
"  -h, --help    this text\n");
}

static size_t
s_count (const char *arg, const char *name, size_t min)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (arg, &end, 10);
    if (errno || *end || arg[0] == '-' || v < min || v > 100000000ULL)
        s_die ("%s: not a count >= %zu: '%s'", name, min, arg);
    return (size_t) v;
}

int
main (int argc, char **argv)
{
    static const struct option opts[] = {
        {"entries", 1, 0, 'n'}, {"every", 1, 0, 'e'},
        {"seconds", 1, 0, 's'}, {"quick", 0, 0, 'Q'},
        {"threads", 1, 0, 'T'},
        {"save", 1, 0, 'S'}, {"json", 0, 0, 'j'}, {"help", 0, 0, 'h'},
        {0, 0, 0, 0}};
    s_opts_t o = {.entries = 1000000, .every = 10000, .seconds = 1.0};
    size_t entries = 0;
    bool quick = false;
    int c;
    while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': entries = s_count (optarg, "--entries", 2); break;
        case 'e': o.every = s_count (optarg, "--every", 2); break;
        case 's': o.seconds = atof (optarg); break;
        case 'T': o.threads = (unsigned) s_count (optarg, "--threads", 1);
                  break;
        case 'Q': quick = true; break;
        case 'S': o.save = optarg; break;
        case 'j': o.json = true; break;
        case 'h': s_usage (stdout); return 0;
        default: s_usage (stderr); return 2;
        }
    }
    if (optind < argc) {
        s_usage (stderr);
        return 2;
    }
    o.entries = entries ? entries : quick ? 20000 : o.entries;
    if (o.seconds <= 0)
        s_die ("--seconds: must be positive");

    char date[32];
    time_t now = time (NULL);
    strftime (date, sizeof date, "%Y-%m-%d", gmtime (&now));

    s_report_t r = {0};
    s_progress ("Ed25519 verify baseline, %.1f s", o.seconds);
    r.verify_rate = s_verify_rate (o.seconds, &r.verify_cpu_rate);

    s_log_t l = {0};
    s_trust_file (&l);
    s_progress ("generating %zu entries (checkpoint every %zu)", o.entries,
                o.every);
    double t = s_now ();
    s_generate (&o, &l, &r);
    r.gen_s = s_now () - t;
    s_progress ("export: %.1f MB in %.1f s; verifying", (double) r.bytes / 1e6,
                r.gen_s);
    if (o.save)
        s_save (&l, o.save);

    t = s_now ();
    double cpu = s_cpu ();
    r.rc = xc_auditfile_verify (l.file.data, l.file.len, l.trust, &r.rep);
    r.verify_s = s_now () - t;
    r.verify_cpu_s = s_cpu () - cpu;
    s_progress ("verified in %.2f s", r.verify_s);

    long cpus = sysconf (_SC_NPROCESSORS_ONLN);
    r.threads = o.threads ? o.threads : cpus > 0 ? (unsigned) cpus : 1;
    s_progress ("verifying on %u threads", r.threads);
    t = s_now ();
    cpu = s_cpu ();
    r.par_rc = xc_auditfile_verify_threads (l.file.data, l.file.len, l.trust,
                                            &r.par_rep, r.threads, NULL,
                                            NULL);
    r.par_s = s_now () - t;
    r.par_cpu_s = s_cpu () - cpu;
    r.same = r.par_rc == r.rc
             && memcmp (&r.par_rep, &r.rep, sizeof r.rep) == 0;
    s_progress ("verified in %.2f s", r.par_s);

    if (o.json)
        s_print_json (&o, &r, date);
    else
        s_print_text (&o, &r, date);

    bool ok = r.rc == 0 && r.same && r.rep.entries == o.entries
              && r.rep.envelopes == r.envelopes
              && r.rep.checkpoints == r.checkpoints;
    if (!ok)
        s_progress ("FAILED: rc %d (%s), %" PRIu64 "/%" PRIu64
                    " envelopes, %" PRIu64 "/%" PRIu64 " checkpoints",
                    r.rc, r.rep.why, r.rep.envelopes, r.envelopes,
                    r.rep.checkpoints, r.checkpoints);

    xc_auditfile_free (&l.file);
    free (l.entry);
    xc_trust_destroy (&l.trust);
    xc_key_destroy (&l.key[0]);
    xc_key_destroy (&l.key[1]);
    unlink (l.path);
    rmdir (l.dir);
    return ok ? 0 : 1;
}
