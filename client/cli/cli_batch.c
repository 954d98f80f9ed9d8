/*  cli_batch.c - xiecha query --batch: a spreadsheet of applicants, one
    query per household, several in flight at once.

    The file is read with the one CSV reader (cli_csv.h); rows are
    grouped into households by the household column (a row without one
    is a household of one).  A household with a bad row is not asked
    about (a certificate missing a member would mislead) and is listed
    as failed; every other household is queried by one of --jobs worker
    threads, each with its own connection to the own node, so a slow
    registration county holds up only its own households.  At the end
    DIR holds results.csv (one row per person, UTF-8 with BOM and CRLF
    so Excel opens it) and household-NNN.pem, each the armored
    certificate `query --out` writes. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

#include "xiecha/text.h"
#include "cli.h"
#include "cli_text.h"
#include "cli_csv.h"

#define CMD "query"
#define S_JOBS_MAX 16
#define S_RETRIES 20           /* a node over its rate: tries per query */
#define S_RESULTS "results.csv"

enum { S_ID, S_NAME, S_HOUSEHOLD, S_HOME, S_PROGRAM, S_COLUMNS };

static const cli_csv_column_t s_columns[S_COLUMNS] = {
    CLI_CSV_ID_COLUMN,
    CLI_CSV_NAME_COLUMN,
    {"household", "户主身份证号码|户主身份证号|家庭编号|户编号|户号|家庭|"
                  "household_id", false},
    {"home", "户籍地|户籍地区划代码|户籍地代码|户籍所在地|户籍县|home_county",
     false},
    CLI_CSV_PROGRAM_COLUMN (false),
};

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha query --batch FILE --out-dir DIR [--programs LIST]\n"
        "                    [--home CODE] [--jobs N] [--encoding E]\n"
        "                    [--progress] [--json]\n"
        "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Asks about every household of a spreadsheet of applicants (CSV,\n"
        "read as `xiecha import` reads a roster: UTF-8 or GB18030/GBK,\n"
        "header row in any column order).  Columns:\n"
        "  身份证号码 id_number   the person's ID number\n"
        "  姓名 name              sent to the own node only\n"
        "  户主身份证号码 household  (also 家庭编号, 户号) rows with the same\n"
        "                         value are one household; the row whose ID\n"
        "                         number it is, else its first row, is the\n"
        "                         applicant; empty: a household of one\n"
        "  户籍地 home            registration county code (default --home)\n"
        "  救助类别 program       programs to ask about, added to --programs\n"
        "Without a header the columns are in this order.  A household with\n"
        "a bad row is not queried: its rows are reported with their lines,\n"
        "and every other household goes on.\n"
        "\n"
        "DIR receives results.csv, one row per person (ID number masked,\n"
        "name, household, registration place, the status per program, the\n"
        "certificate file, the error), UTF-8 with BOM, and one certificate\n"
        "per household answered (household-001.pem, ...: what --out\n"
        "writes, for `cert verify` and `cert print`).  A summary follows.\n"
        "\n"
        "  -B, --batch FILE       the applicants\n"
        "  -O, --out-dir DIR      where results and certificates go (made\n"
        "                         when missing)\n"
        "  -p, --programs LIST    dibao, tekun, low_income, dibao_edge, temp\n"
        "      --home CODE        registration county of rows without one\n"
        "  -J, --jobs N           queries in flight at once, 1..16 (4)\n"
        "  -e, --encoding E       auto (default), utf-8, gb18030 or gbk\n"
        "  -P, --progress         progress line even when stderr is no tty\n"
        "  -j, --json             the summary as JSON\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _(
        "  -h, --help             this text\n"
        "\n"
        "Exit status: 0 when every household was answered, else the\n"
        "largest status of a household that was not (2 a bad row, 3 its\n"
        "registration node did not answer, ...), as below; 1 also when\n"
        "results.csv could not be written.\n\n"));
    printf ("%s", cli_exit_help ());
}

typedef struct {
    cli_node_args_t node;
    const char *file;                    /* -B */
    const char *out_dir;                 /* -O */
    const char *home;                    /* --home */
    const char *encoding;                /* -e */
    int programs[XIECHA__PROGRAM__TEMP]; /* -p */
    size_t program_count;
    int jobs;                            /* -J */
    bool progress;                       /* -P */
} s_args_t;

/*  One row of the file. */
typedef struct {
    uint32_t line;
    char id[XC_ID_LEN + 1];      /* normalised; "" when the row is bad */
    char *name;
    char home[XC_CODE_LEN + 1];  /* "" when none */
    unsigned programs;           /* bit p: the row asks about program p */
    char *error;                 /* what is wrong with the row, or NULL */
    size_t household;            /* index into the households */
    bool head;                   /* the household column is its ID */
} s_person_t;

/*  One household: the query, and what came back. */
typedef struct {
    size_t *people;              /* indices of its rows, applicant first */
    size_t count;
    char home[XC_CODE_LEN + 1];
    int programs[XIECHA__PROGRAM__TEMP];
    size_t program_count;
    int status;                  /* exit status; 0 answered */
    char *error;                 /* why not, or NULL */
    xc_answer_t answer;          /* when answered */
    char file[32];               /* its certificate's name in DIR, or "" */
} s_household_t;

typedef struct {
    const s_args_t *args;
    s_person_t *people;
    size_t n_people;
    s_household_t *households;
    size_t n_households;
    pthread_mutex_t lock;
    pthread_cond_t progress;     /* signalled for each household done */
    size_t next;                 /* the next household to take */
    size_t done;
} s_batch_t;

// ---- Options --------------------------------------------------------------

enum { S_OPT_HOME = 256 };

//  Returns -1 to go on, else the exit status.
static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "batch", required_argument, NULL, 'B' },
        { "out-dir", required_argument, NULL, 'O' },
        { "programs", required_argument, NULL, 'p' },
        { "program", required_argument, NULL, 'p' },
        { "home", required_argument, NULL, S_OPT_HOME },
        { "jobs", required_argument, NULL, 'J' },
        { "encoding", required_argument, NULL, 'e' },
        { "progress", no_argument, NULL, 'P' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, rc;
    char *end;
    a->jobs = 4;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":B:O:p:J:e:Pjs:c:t:h", opts,
                             NULL)) != -1) {
        switch (c) {
        case 'B': a->file = optarg; break;
        case 'O': a->out_dir = optarg; break;
        case 'P': a->progress = true; break;
        case S_OPT_HOME:
            if (!xc_code_valid (optarg))
                return cli_usage_error (CMD, _("--home: '%s' is not a "
                                        "division code"), optarg);
            a->home = optarg;
            break;
        case 'J':
            a->jobs = (int) strtol (optarg, &end, 10);
            if (*end || a->jobs < 1 || a->jobs > S_JOBS_MAX)
                return cli_usage_error (CMD, _("--jobs: '%s' is not "
                                        "1..%d"), optarg, S_JOBS_MAX);
            break;
        case 'e':
            if ((rc = cli_csv_encoding_option (CMD, optarg,
                                              &a->encoding)) >= 0)
                return rc;
            break;
        case 'p':
            if ((rc = cli_parse_programs (CMD, "--programs", optarg,
                                          a->programs, &a->program_count)))
                return rc;
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default:
            if ((rc = cli_node_option (&a->node, CMD, c, argv)) >= 0)
                return rc;
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->file)
        return cli_usage_error (CMD, _("--batch FILE is required"));
    if (!a->out_dir)
        return cli_usage_error (CMD, _("--out-dir DIR is required"));
    return -1;
}

// ---- Reading the file ---------------------------------------------------

//  Checks the current row into p; a bad one keeps its message.
static void
s_person (const s_args_t *a, cli_csv_t *csv, s_person_t *p)
{
    char why[640];
    int program = 0;
    p->line = cli_csv_line (csv);
    p->name = strdup (cli_csv_cell (csv, S_NAME));
    if (a->home)
        snprintf (p->home, sizeof p->home, "%s", a->home);
    if (cli_csv_id (csv, S_ID, p->id, why, sizeof why)
        || (!*cli_csv_cell (csv, S_NAME)
            && cli_csv_bad (csv, S_NAME, false, why, sizeof why,
                            _("missing")))
        || ((*cli_csv_cell (csv, S_HOME) || !a->home)
            && cli_csv_code (csv, S_HOME, p->home, why, sizeof why))
        || (*cli_csv_cell (csv, S_PROGRAM)
            && cli_csv_program (csv, S_PROGRAM, &program, why, sizeof why))) {
        p->id[0] = '\0';
        p->error = strdup (why);
        return;
    }
    if (program)
        p->programs |= 1u << program;
}

//  The household of the current row: its key's, or a new one.
static size_t
s_household_of (s_batch_t *b, zhashx_t *keys, cli_csv_t *csv)
{
    char key[128];
    cli_csv_folded (csv, S_HOUSEHOLD, key, sizeof key);
    size_t *known = *key ? (size_t *) zhashx_lookup (keys, key) : NULL;
    if (known)
        return *known;
    size_t h = b->n_households++;
    if (*key) {
        size_t *v = malloc (sizeof *v);
        if (v) {
            *v = h;
            zhashx_insert (keys, key, v);
        }
    }
    return h;
}

static void
s_free_index (void **item)
{
    free (*item);
    *item = NULL;
}

//  Reads every row into b.  Returns 0, or the exit status with the error
//  printed.
static int
s_read (s_batch_t *b, const s_args_t *a)
{
    char why[640];
    cli_csv_t *csv = cli_csv_new (a->file, a->encoding, s_columns, S_COLUMNS,
                                  why, sizeof why);
    if (!csv)
        return cli_usage_error (CMD, "%s", why);
    zhashx_t *keys = zhashx_new ();
    zhashx_set_destructor (keys, s_free_index);
    size_t cap = 0;
    int rc;
    while ((rc = cli_csv_next (csv, why, sizeof why)) != 0) {
        if (b->n_people == cap) {
            cap = cap ? cap * 2 : 64;
            s_person_t *more = realloc (b->people, cap * sizeof *more);
            if (!more)
                break;
            b->people = more;
        }
        s_person_t *p = &b->people[b->n_people++];
        memset (p, 0, sizeof *p);
        if (rc < 0) {
            p->line = cli_csv_line (csv);
            p->error = strdup (why);
            p->household = b->n_households++;
        }
        else {
            s_person (a, csv, p);
            p->household = s_household_of (b, keys, csv);
            char key[128];
            cli_csv_folded (csv, S_HOUSEHOLD, key, sizeof key);
            p->head = p->id[0] && !strcasecmp (key, p->id);
        }
    }
    zhashx_destroy (&keys);
    cli_csv_destroy (&csv);
    if (rc != 0)
        return cli_usage_error (CMD, "%s", _("out of memory"));
    return 0;
}

// ---- Households -----------------------------------------------------------

static void
s_fail (s_household_t *h, int status, const char *why)
{
    if (h->error)
        return;
    h->status = status;
    h->error = strdup (why);
}

//  Checks household h, fills in its home and programs; a household that
//  cannot be asked about gets its error.
static void
s_household_check (s_batch_t *b, s_household_t *h)
{
    unsigned programs = 0;
    char why[640];
    for (size_t k = 0; k < b->args->program_count; k++)
        programs |= 1u << b->args->programs[k];
    for (size_t k = 0; k < h->count; k++) {
        s_person_t *p = &b->people[h->people[k]];
        if (p->error) {
            snprintf (why, sizeof why, _("line %u is bad: %s"),
                      (unsigned) p->line, p->error);
            s_fail (h, CLI_EXIT_USAGE, why);
        }
        else if (!h->home[0])
            memcpy (h->home, p->home, sizeof h->home);
        else if (strcmp (h->home, p->home)) {
            snprintf (why, sizeof why, _("line %u: registration place %s "
                      "differs from the household's first row (%s)"),
                      (unsigned) p->line, p->home, h->home);
            s_fail (h, CLI_EXIT_USAGE, why);
        }
        programs |= p->programs;
    }
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++)
        if (programs & (1u << p))
            h->programs[h->program_count++] = p;
    if (!h->program_count)
        s_fail (h, CLI_EXIT_USAGE, _("no program to ask about: give "
                "--programs or a 救助类别 (program) column"));
    if (h->count > XC_MAX_HOUSEHOLD) {
        snprintf (why, sizeof why, _("%zu people: a household has at most "
                  "%d"), h->count, XC_MAX_HOUSEHOLD);
        s_fail (h, CLI_EXIT_USAGE, why);
    }
}

//  Groups the rows into households; the head of a household keyed by an
//  ID number is its applicant.  Returns 0 or -1 (out of memory).
static int
s_group (s_batch_t *b)
{
    b->households = calloc (b->n_households ? b->n_households : 1,
                            sizeof *b->households);
    if (!b->households)
        return -1;
    for (size_t i = 0; i < b->n_people; i++) {
        s_household_t *h = &b->households[b->people[i].household];
        size_t *more = realloc (h->people, (h->count + 1) * sizeof *more);
        if (!more)
            return -1;
        h->people = more;
        h->people[h->count++] = i;
    }
    for (size_t i = 0; i < b->n_households; i++) {
        s_household_t *h = &b->households[i];
        for (size_t k = 1; k < h->count; k++)
            if (b->people[h->people[k]].head) {
                size_t head = h->people[k];
                memmove (h->people + 1, h->people, k * sizeof *h->people);
                h->people[0] = head;
                break;
            }
        s_household_check (b, h);
    }
    return 0;
}

// ---- Queries ----------------------------------------------------------------

//  The wait a node asks for in "... retry in 1200 ms", or 0.
static long
s_retry_ms (int rc, const char *why)
{
    const char *at = strstr (why, "retry in ");
    if ((rc != XC_ERATE && rc != XC_EBUSY) || !at)
        return rc == XC_EBUSY ? 200 : 0;
    long ms = strtol (at + 9, NULL, 10);
    return ms < 1 ? 1 : ms > 60000 ? 60000 : ms;
}

//  Saves h's certificate as DIR/household-NNN.pem.  Returns 0 or XC_E*.
static int
s_save (const s_args_t *a, s_household_t *h, size_t index, char *why,
        size_t why_len)
{
    snprintf (h->file, sizeof h->file, "household-%03zu.pem", index + 1);
    char *path = zsys_sprintf ("%s/%s", a->out_dir, h->file);
    int rc = path ? cli_write_armored (path, XC_ARMOR_CERTIFICATE,
                                       h->answer.certificate,
                                       h->answer.certificate_len, true, why,
                                       why_len)
                  : XC_ENOMEM;
    zstr_free (&path);
    if (rc)
        h->file[0] = '\0';
    return rc;
}

//  Asks about household index over client, and saves its certificate.
static void
s_query (s_batch_t *b, xc_client_t *client, size_t index)
{
    s_household_t *h = &b->households[index];
    xc_person_t people[XC_MAX_HOUSEHOLD];
    memset (people, 0, sizeof people);
    for (size_t k = 0; k < h->count; k++) {
        people[k].id_number = b->people[h->people[k]].id;
        people[k].name = b->people[h->people[k]].name;
    }
    xc_query_t q = {
        .home_county = h->home,
        .applicant = people[0],
        .members = h->count > 1 ? people + 1 : NULL,
        .member_count = h->count - 1,
        .programs = h->programs,
        .program_count = h->program_count,
    };
    char why[1024];
    int rc;
    for (int attempt = 0; ; attempt++) {
        rc = xc_client_query (client, &q, &h->answer, why, sizeof why);
        long wait = s_retry_ms (rc, why);
        if (!wait || attempt + 1 >= S_RETRIES)
            break;
        struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
        nanosleep (&ts, NULL);
    }
    if (rc == 0 && s_save (b->args, h, index, why, sizeof why) != 0)
        rc = XC_EIO;   // the answer stands; its file is missing
    if (rc)
        s_fail (h, rc == XC_EIO && h->answer.cert ? CLI_EXIT_FAIL
                                                  : cli_exit_code (rc), why);
}

typedef struct {
    s_batch_t *batch;
    xc_client_t *client;
} s_worker_t;

static void *
s_worker (void *arg)
{
    s_worker_t *w = (s_worker_t *) arg;
    s_batch_t *b = w->batch;
    while (true) {
        pthread_mutex_lock (&b->lock);
        while (b->next < b->n_households && b->households[b->next].error)
            b->next++;   // not to be asked
        size_t index = b->next < b->n_households ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock (&b->lock);
        if (index == SIZE_MAX)
            return NULL;
        s_query (b, w->client, index);
        pthread_mutex_lock (&b->lock);
        b->done++;
        pthread_cond_signal (&b->progress);
        pthread_mutex_unlock (&b->lock);
    }
}

//  Runs the queries on jobs threads, drawing progress.  Returns 0 or the
//  exit status of a failure to start.
static int
s_run (s_batch_t *b)
{
    const s_args_t *a = b->args;
    size_t todo = 0;
    for (size_t i = 0; i < b->n_households; i++)
        todo += !b->households[i].error;
    size_t jobs = (size_t) a->jobs < todo ? (size_t) a->jobs : todo;
    s_worker_t workers[S_JOBS_MAX];
    pthread_t threads[S_JOBS_MAX];
    size_t started = 0;
    int status = 0;
    //  Connections are made here: cli_connect is not for threads.
    for (size_t i = 0; i < jobs; i++) {
        workers[i].batch = b;
        workers[i].client = cli_connect (CMD, a->node.socket, a->node.config,
                                         a->node.timeout_ms);
        if (!workers[i].client) {
            status = CLI_EXIT_USAGE;
            jobs = i;
        }
    }
    cli_progress_t progress;
    cli_progress_init (&progress, !a->node.json && (a->progress
                       || isatty (STDERR_FILENO)), _("querying households"));
    for (; status == 0 && started < jobs; started++)
        if (pthread_create (&threads[started], NULL, s_worker,
                            &workers[started])) {
            cli_error (CMD, "%s", _("cannot start a thread"));
            status = CLI_EXIT_FAIL;
            break;
        }
    if (started) {
        pthread_mutex_lock (&b->lock);
        cli_progress_update (&progress, b->done, todo);
        while (b->done < todo) {
            pthread_cond_wait (&b->progress, &b->lock);
            cli_progress_update (&progress, b->done, todo);
        }
        pthread_mutex_unlock (&b->lock);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join (threads[i], NULL);
    cli_progress_end (&progress);
    for (size_t i = 0; i < jobs; i++)
        xc_client_destroy (&workers[i].client);
    return status;
}

// ---- Results --------------------------------------------------------------

//  One CSV cell, quoted when it must be (RFC 4180).
static void
s_cell (FILE *out, const char *text, bool last)
{
    text = text ? text : "";
    if (strpbrk (text, ",\"\r\n")) {
        fputc ('"', out);
        for (const char *c = text; *c; c++) {
            if (*c == '"')
                fputc ('"', out);
            fputc (*c, out);
        }
        fputc ('"', out);
    }
    else
        fputs (text, out);
    fputs (last ? "\r\n" : ",", out);
}

//  The status of person k of answered household h in program p.
static const char *
s_status (const s_household_t *h, size_t k, int p)
{
    bool asked = false;
    for (size_t i = 0; i < h->program_count; i++)
        asked |= h->programs[i] == p;
    if (!asked || !h->answer.cert || k >= h->answer.cert->n_results)
        return "";
    const Xiecha__SubjectResult *r = h->answer.cert->results[k];
    for (size_t e = 0; e < r->n_enrollments; e++)
        if ((int) r->enrollments[e]->program == p)
            return xc_status_title (XIECHA__STATUS__RECEIVING);
    return xc_status_title (XIECHA__STATUS__NOT_RECEIVING);
}

//  The programs any household asked about, as a bit set.
static unsigned
s_programs_asked (const s_batch_t *b)
{
    unsigned asked = 0;
    for (size_t i = 0; i < b->n_households; i++)
        for (size_t k = 0; k < b->households[i].program_count; k++)
            asked |= 1u << b->households[i].programs[k];
    return asked;
}

static void
s_results_row (FILE *out, const s_batch_t *b, size_t i, unsigned asked)
{
    const s_person_t *p = &b->people[i];
    const s_household_t *h = &b->households[p->household];
    size_t k = 0;
    while (k < h->count && h->people[k] != i)
        k++;
    char masked[XC_ID_LEN + 1], place[CLI_PLACE_LEN] = "", label[32];
    cli_mask_id (p->id[0] ? p->id : NULL, masked);
    snprintf (label, sizeof label, "%zu", p->household + 1);
    if (p->home[0])
        cli_place (p->home, place, sizeof place);
    s_cell (out, masked, false);
    s_cell (out, p->name, false);
    s_cell (out, label, false);
    s_cell (out, place, false);
    for (int prog = XIECHA__PROGRAM__DIBAO; prog <= XIECHA__PROGRAM__TEMP;
         prog++)
        if (asked & (1u << prog))
            s_cell (out, s_status (h, k, prog), false);
    s_cell (out, h->file, false);
    s_cell (out, p->error ? p->error : h->error, true);
}

//  Writes DIR/results.csv.  Returns 0 or XC_E* with why.
static int
s_results (const s_batch_t *b, char *why, size_t why_len)
{
    char *data = NULL;
    size_t len = 0;
    FILE *out = open_memstream (&data, &len);
    if (!out)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    unsigned asked = s_programs_asked (b);
    fputs ("\xef\xbb\xbf", out);   // the BOM, so Excel reads UTF-8
    s_cell (out, _("ID number"), false);
    s_cell (out, _("name"), false);
    s_cell (out, _("household"), false);
    s_cell (out, _("registration place"), false);
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++)
        if (asked & (1u << p))
            s_cell (out, xc_program_title (p), false);
    s_cell (out, _("certificate file"), false);
    s_cell (out, _("error"), true);
    for (size_t i = 0; i < b->n_people; i++)
        s_results_row (out, b, i, asked);
    if (fclose (out) != 0) {
        free (data);
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    }
    char *path = zsys_sprintf ("%s/%s", b->args->out_dir, S_RESULTS);
    int rc = cli_write_file (path, data, len, cli_public_mode (), true, why,
                             why_len);
    zstr_free (&path);
    free (data);
    return rc;
}

// ---- Summary --------------------------------------------------------------

typedef struct {
    size_t answered, failed;               /* households */
    size_t receiving, not_receiving, lost; /* people */
    int status;                            /* the worst */
} s_counts_t;

static s_counts_t
s_count (const s_batch_t *b)
{
    s_counts_t c = {0};
    for (size_t i = 0; i < b->n_households; i++) {
        const s_household_t *h = &b->households[i];
        if (h->error) {
            c.failed++;
            c.lost += h->count;
            c.status = h->status > c.status ? h->status : c.status;
            continue;
        }
        c.answered++;
        for (size_t k = 0; k < h->answer.cert->n_results; k++)
            if (h->answer.cert->results[k]->status
                == XIECHA__STATUS__RECEIVING)
                c.receiving++;
            else
                c.not_receiving++;
    }
    return c;
}

//  "line 7 (469021********1234)": a household as people find it in
//  their file, without a name or whole ID number.
static void
s_label (const s_batch_t *b, const s_household_t *h, char *out, size_t len)
{
    const s_person_t *p = &b->people[h->people[0]];
    char masked[XC_ID_LEN + 1];
    cli_mask_id (p->id[0] ? p->id : NULL, masked);
    snprintf (out, len, _("household %zu, line %u (%s)"),
              (size_t) (h - b->households) + 1, (unsigned) p->line, masked);
}

static void
s_summary_json (const s_batch_t *b, const s_counts_t *c, int status)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", b->args->file);
    cli_json_str (&j, "out_dir", b->args->out_dir);
    cli_json_str (&j, "results", S_RESULTS);
    cli_json_uint (&j, "households", b->n_households);
    cli_json_uint (&j, "answered", c->answered);
    cli_json_uint (&j, "households_failed", c->failed);
    cli_json_uint (&j, "people", b->n_people);
    cli_json_uint (&j, "receiving", c->receiving);
    cli_json_uint (&j, "not_receiving", c->not_receiving);
    cli_json_uint (&j, "failed", c->lost);
    cli_json_int (&j, "exit", status);
    cli_json_array (&j, "failures");
    for (size_t i = 0; i < b->n_households; i++) {
        const s_household_t *h = &b->households[i];
        if (!h->error)
            continue;
        cli_json_object (&j, NULL);
        cli_json_uint (&j, "household", i + 1);
        cli_json_uint (&j, "line", b->people[h->people[0]].line);
        cli_json_int (&j, "exit", h->status);
        cli_json_str (&j, "error", h->error);
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_end (&j);
}

static void
s_summary (const s_batch_t *b, const s_counts_t *c, int status)
{
    for (size_t i = 0; i < b->n_households; i++) {
        const s_household_t *h = &b->households[i];
        char label[96];
        if (!h->error)
            continue;
        s_label (b, h, label, sizeof label);
        cli_error (CMD, _("%s: exit %d: %s"), label, h->status, h->error);
    }
    if (b->args->node.json) {
        s_summary_json (b, c, status);
        return;
    }
    printf (_("households %zu: %zu answered, %zu failed\n"),
            b->n_households, c->answered, c->failed);
    printf (_("people %zu: %zu receiving, %zu not receiving, %zu failed\n"),
            b->n_people, c->receiving, c->not_receiving, c->lost);
    printf (_("results in %s/%s\n"), b->args->out_dir, S_RESULTS);
}

// ---- Main -------------------------------------------------------------------

static void
s_batch_free (s_batch_t *b)
{
    for (size_t i = 0; i < b->n_people; i++) {
        free (b->people[i].name);
        free (b->people[i].error);
    }
    for (size_t i = 0; b->households && i < b->n_households; i++) {
        free (b->households[i].people);
        free (b->households[i].error);
        xc_answer_free (&b->households[i].answer);
    }
    free (b->people);
    free (b->households);
    pthread_mutex_destroy (&b->lock);
    pthread_cond_destroy (&b->progress);
}

//  Makes DIR when it is missing.  Returns 0 or the exit status.
static int
s_out_dir (const char *dir)
{
    if (mkdir (dir, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat (dir, &st) == 0 && S_ISDIR (st.st_mode))
            return 0;
        errno = ENOTDIR;
    }
    return cli_usage_error (CMD, "--out-dir %s: %s", dir, strerror (errno));
}

int
cli_batch_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    if ((status = s_out_dir (a.out_dir)))
        return status;
    s_batch_t b;
    memset (&b, 0, sizeof b);
    b.args = &a;
    pthread_mutex_init (&b.lock, NULL);
    pthread_cond_init (&b.progress, NULL);
    if ((status = s_read (&b, &a)) == 0 && s_group (&b) != 0)
        status = cli_usage_error (CMD, "%s", _("out of memory"));
    if (status == 0)
        status = s_run (&b);
    if (status) {
        s_batch_free (&b);
        return status;
    }
    char why[1024];
    s_counts_t c = s_count (&b);
    status = c.status;
    if (s_results (&b, why, sizeof why) != 0) {
        cli_error (CMD, "%s", why);
        status = status > CLI_EXIT_FAIL ? status : CLI_EXIT_FAIL;
    }
    s_summary (&b, &c, status);
    s_batch_free (&b);
    return status;
}
