/*  cli.c - helpers shared by the xiecha commands: errors and exit codes,
    option values, endpoint discovery, the node options and failed calls,
    atomic files, a JSON writer and a progress line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

#include "cli.h"
#include "cli_files.h"
#include "xiecha/armor.h"
#include "cli_ref.h"
#include "xiecha/zone.h"
#include "xiecha/text.h"

// ---- Local time --------------------------------------------------------------

int
cli_zone_use (const char *cmd, const char *config)
{
    char zone[XC_ZONE_MAX] = "", why[512];
    if (config && cli_config_value (config, "node/timezone", zone,
                                    sizeof zone, why, sizeof why) != 0)
        return cli_usage_error (cmd, "%s", why);
    if (xc_zone_use (*zone ? zone : XC_ZONE_DEFAULT, why, sizeof why) != 0)
        return cli_usage_error (cmd, "%s", why);
    return 0;
}

const char *
cli_local_time (uint64_t ms, char *out)
{
    xc_zone_time (ms, out);
    return out;
}

void
cli_pad (FILE *out, const char *text, size_t width)
{
    size_t cols = xc_text_width (text);
    fputs (text, out);
    do
        fputc (' ', out);
    while (++cols < width);
}

// ---- Errors and exit codes ------------------------------------------------

const char *
cli_exit_help (void)
{
    return _("Exit status:\n"
        "  0  answered / ok\n"
        "  1  failure (node error, timeout of the own node, policy refusal,\n"
        "     invalid certificate)\n"
        "  2  bad input (options, fields, files)\n"
        "  3  no answer of the registration node arrived within the deadline\n"
        "     (it is down, not connected, or slow)\n"
        "  4  the registration node answered but the own node refused the\n"
        "     answer: its clock is off (by how much is said), its signature\n"
        "     or key is bad, unknown or revoked, or it does not answer this\n"
        "     query\n"
        "  5  the registration node refused the query with a signed error\n"
        "  6  registration node cannot answer for a program: its roster is\n"
        "     missing or older than the trust list allows\n"
        "  7  audit verify: every signature holds, but some entries are\n"
        "     under no signed checkpoint\n"
        "  8  the own node refused this terminal: it lacks the role the\n"
        "     request needs, or is revoked, expired or not listed\n");
}

const char *
cli_node_help (void)
{
    return _("  -s, --socket ENDPOINT  node client endpoint (e.g. ipc:///run/x.sock)\n"
        "  -c, --config FILE      take node/client_bind from a node config\n"
        "      --client-config FILE  a terminal's endpoint and CURVE keys\n"
        "  -t, --timeout MS       wait at most MS ms for the node (10000)\n"
        "                         endpoint order: -s, -c, --client-config,\n"
        "                         $XIECHA_SOCKET, ~/.config/xiecha/client.zpl,\n"
        "                         /etc/xiecha/client.zpl\n");
}

int
cli_exit_code (int xc_code)
{
    switch (xc_code) {
    case XC_OK:           return CLI_EXIT_OK;
    case XC_EINVAL:       return CLI_EXIT_USAGE;
    case XC_EUNREACHABLE: return CLI_EXIT_UNREACHABLE;
    case XC_EROSTER:      return CLI_EXIT_ROSTER;
    case XC_EANSWER:      return CLI_EXIT_ANSWER;
    case XC_EREFUSED:     return CLI_EXIT_REFUSED;
    case XC_EROLE:        return CLI_EXIT_ROLE;
    case XC_EUNCOVERED:   return CLI_EXIT_UNCOVERED;
    default:              return CLI_EXIT_FAIL;
    }
}

static void
s_verror (const char *cmd, const char *fmt, va_list ap)
{
    //  One fprintf per line so concurrent writers do not interleave it.
    char line[2048];
    vsnprintf (line, sizeof line, fmt, ap);
    fprintf (stderr, "xiecha%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
             line);
}

void
cli_error (const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    s_verror (cmd, fmt, ap);
    va_end (ap);
}

int
cli_usage_error (const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    s_verror (cmd, fmt, ap);
    va_end (ap);
    return CLI_EXIT_USAGE;
}

int
cli_bad_option (const char *cmd, int c, char **argv)
{
    //  getopt leaves the offending word just before optind.
    const char *word = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        cli_error (cmd, _("option '%s' needs a value"), word);
    else if (optopt)
        cli_error (cmd, _("unknown option '-%c'"), optopt);
    else
        cli_error (cmd, _("unknown option '%s'"), word);
    fprintf (stderr, _("Try 'xiecha %s --help'.\n"), cmd);
    return CLI_EXIT_USAGE;
}

// ---- Option values ----------------------------------------------------------

int
cli_parse_timeout (const char *text, int *ms)
{
    char *end = NULL;
    errno = 0;
    long v = strtol (text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > 3600000)
        return -1;
    *ms = (int) v;
    return 0;
}

//  Reads exactly n digits at *p into *v and advances *p.
static bool
s_digits (const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        *v = *v * 10 + (c - '0');
    }
    *p += n;
    return true;
}

//  Parses the time-of-day and zone after 'T'; sets *offset_s east of UTC.
static bool
s_parse_clock (const char *p, struct tm *tm, int *msec, int *offset_s)
{
    if (!s_digits (&p, 2, &tm->tm_hour) || *p++ != ':'
        || !s_digits (&p, 2, &tm->tm_min))
        return false;
    if (*p == ':') {
        p++;
        if (!s_digits (&p, 2, &tm->tm_sec))
            return false;
        if (*p == '.' || *p == ',') {
            int scale = 100;
            for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
                *msec += scale * (*p - '0');
        }
    }
    if (tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
        return false;
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0';
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
        if (!s_digits (&p, 2, &hh))
            return false;
        if (*p == ':')
            p++;
        if (*p && !s_digits (&p, 2, &mm))
            return false;
        *offset_s = sign * (hh * 3600 + mm * 60);
        return *p == '\0' && hh < 24 && mm < 60;
    }
    return *p == '\0';
}

int
cli_parse_iso (const char *text, uint64_t *ms)
{
    struct tm tm = { 0 };
    int msec = 0, offset_s = 0, year, mon, day;
    const char *p = text;
    if (!s_digits (&p, 4, &year) || *p++ != '-' || !s_digits (&p, 2, &mon)
        || *p++ != '-' || !s_digits (&p, 2, &day))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (!s_parse_clock (p + 1, &tm, &msec, &offset_s))
            return -1;
    }
    else if (*p)
        return -1;
    //  Let xc_date_parse judge the calendar date: one rule everywhere.
    char date[16];
    uint32_t ymd;
    snprintf (date, sizeof date, "%04d%02d%02d", year, mon, day);
    if (year < 1970 || xc_date_parse (date, &ymd) != 0)
        return -1;
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    time_t t = timegm (&tm);
    if (t == (time_t) -1 || (int64_t) t - offset_s < 0)
        return -1;
    *ms = (uint64_t) ((int64_t) t - offset_s) * 1000 + (uint64_t) msec;
    return 0;
}

void
cli_mask_id (const char *id, char *out)
{
    size_t len = id ? strlen (id) : 0;
    if (len < 10) {
        //  Not an ID we know how to mask: show nothing of it.
        snprintf (out, XC_ID_LEN + 1, "******************");
        return;
    }
    snprintf (out, XC_ID_LEN + 1, "%.6s********%.4s", id, id + len - 4);
}

int
cli_parse_programs (const char *cmd, const char *option, char *list,
                    int *programs, size_t *count)
{
    char *save = NULL;
    for (char *tok = strtok_r (list, ",", &save); tok;
         tok = strtok_r (NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        int p = xc_program_parse (tok);
        if (p == 0)
            return cli_usage_error (cmd, _("%s: unknown program '%s' (dibao, "
                                           "tekun, low_income, dibao_edge, "
                                           "temp)"),
                                    option, tok);
        bool seen = false;
        for (size_t i = 0; i < *count; i++)
            seen |= programs[i] == p;
        if (!seen)
            programs[(*count)++] = p;
    }
    return 0;
}

const char *
cli_place (const char *code, char *out, size_t len)
{
    const char *name = xc_division_name (code);
    snprintf (out, len, "%s%s%s", code ? code : "?", name ? " " : "",
              name ? name : "");
    return out;
}

int
cli_node_code (const char *cmd, const char *code)
{
    char why[256];
    const xc_divisions_t *table = xc_divisions_default (NULL, 0);
    int rc = xc_divisions_check (table, code, why, sizeof why);
    if (rc == XC_ENOTFOUND)   /* the shipped table is partial: say so only */
        fprintf (stderr, _("xiecha %s: warning: --code: %s (%s); check the "
                           "code\n"), cmd, why, xc_divisions_default_path ());
    else if (rc)
        return cli_usage_error (cmd, _("--code: %s"), why);
    return -1;
}

// ---- What certificates and rosters say -------------------------------------

const char *
cli_program_text (int program)
{
    //  English output keeps the identifiers people and scripts grep for
    //  (DIBAO); Chinese gives the documents' names (最低生活保障).
    return xc_text_chinese () ? xc_program_title (program)
                              : xc_program_name (program);
}

void
cli_json_enrollments (cli_json_t *j, const char *key,
                      Xiecha__Enrollment *const *enrollments, size_t n)
{
    char date[11];
    cli_json_array (j, key);
    for (size_t k = 0; k < n; k++) {
        const Xiecha__Enrollment *e = enrollments[k];
        cli_json_object (j, NULL);
        cli_json_str (j, "program", xc_program_name (e->program));
        xc_date_text (e->since, date);
        cli_json_str (j, "since", date);
        xc_date_text (e->until, date);
        cli_json_str (j, "until", e->until ? date : NULL);
        cli_json_place (j, "node", e->node);
        cli_json_end (j);
    }
    cli_json_end (j);
}

void
cli_json_rosters (cli_json_t *j, const char *key,
                  Xiecha__RosterDate *const *rosters, size_t n)
{
    cli_json_array (j, key);
    for (size_t i = 0; i < n; i++) {
        char date[11];
        xc_date_text (rosters[i]->as_of, date);
        cli_json_object (j, NULL);
        cli_json_str (j, "program", xc_program_name (rosters[i]->program));
        cli_json_str (j, "as_of", rosters[i]->as_of ? date : NULL);
        if (rosters[i]->interrupted)
            cli_json_bool (j, "interrupted", true);
        cli_json_end (j);
    }
    cli_json_end (j);
}

// ---- Endpoint discovery ------------------------------------------------------

zconfig_t *
cli_config_read (const char *path, char *why, size_t why_len)
{
    /* Read here and parsed as text: zconfig_load leaks its zfile on a
       file that is not valid ZPL (CZMQ 4.2.1). */
    zchunk_t *chunk = zchunk_slurp (path, 0);
    zconfig_t *root = chunk ? zconfig_chunk_load (chunk) : NULL;
    zchunk_destroy (&chunk);
    if (!root)
        xc_why (why, why_len, XC_EINVAL,
                _("--config %s: cannot read or parse the file"), path);
    return root;
}

//  node/client_bind from a node config, made relative to its directory.
static int
s_endpoint_from_config (const char *config, char *out, size_t out_len,
                        char *why, size_t why_len)
{
    zconfig_t *root = cli_config_read (config, why, why_len);
    if (!root)
        return XC_EINVAL;
    int rc = 0;
    const char *bind = zconfig_get (root, "node/client_bind", NULL);
    if (!bind || !*bind)
        rc = xc_why (why, why_len, XC_ECONFIG,
                     _("%s: node/client_bind is not set"), config);
    else {
        //  A relative IPC path is relative to the config file, the rule
        //  the daemon applies, so both find the same socket.
        char copy[PATH_MAX];
        snprintf (copy, sizeof copy, "%s", config);
        if (xc_ipc_resolve (dirname (copy), bind, out, out_len) != 0)
            rc = xc_why (why, why_len, XC_ECONFIG,
                         _("%s: node/client_bind is too long"), config);
    }
    zconfig_destroy (&root);
    return rc;
}

//  --client-config, for cli_connect: one per process, set while the
//  options are read (cli_node_option), so the commands' own calls stay
//  as they are.
static const char *s_client_config;

int
cli_endpoint (const char *socket, const char *config, char *out,
              size_t out_len, char *why, size_t why_len)
{
    if (socket && *socket) {
        if ((size_t) snprintf (out, out_len, "%s", socket) >= out_len)
            return xc_why (why, why_len, XC_EINVAL, "%s",
                           _("--socket: too long"));
        return 0;
    }
    if (config && *config)
        return s_endpoint_from_config (config, out, out_len, why, why_len);
    const char *env = getenv ("XIECHA_SOCKET");
    if (env && *env) {
        if ((size_t) snprintf (out, out_len, "%s", env) >= out_len)
            return xc_why (why, why_len, XC_EINVAL,
                           "%s", _("XIECHA_SOCKET: too long"));
        return 0;
    }
    return xc_why (why, why_len, XC_EINVAL,
                   "%s", _("no node endpoint: use -s/--socket ENDPOINT, "
                           "-c/--config FILE, --client-config FILE, set "
                           "XIECHA_SOCKET, or write "
                           "~/.config/xiecha/client.zpl or "
                           "/etc/xiecha/client.zpl"));
}

void
cli_set_client_config (const char *path)
{
    s_client_config = path;
}

//  The default client configuration: the user's, else the host's; NULL
//  when neither is there.
static const char *
s_client_config_path (char *buf, size_t len)
{
    const char *home = getenv ("HOME");
    if (home && *home
        && (size_t) snprintf (buf, len, "%s/.config/xiecha/client.zpl", home)
               < len
        && access (buf, F_OK) == 0)
        return buf;
    return access ("/etc/xiecha/client.zpl", F_OK) == 0
               ? "/etc/xiecha/client.zpl"
               : NULL;
}

//  A terminal's connection, CURVE, from its client configuration.
static xc_client_t *
s_connect_terminal (const char *cmd, const char *path, int timeout_ms)
{
    xc_client_config_t cc;
    char why[512];
    xc_client_t *client = NULL;
    if (xc_client_config_load (path, &cc, why, sizeof why) == 0)
        client = xc_client_new_terminal (&cc, timeout_ms, why, sizeof why);
    if (!client)
        cli_error (cmd, "%s", why);
    return client;
}

xc_client_t *
cli_connect (const char *cmd, const char *socket, const char *config,
             int timeout_ms)
{
    //  The order cli_node_help () gives: -s, -c, --client-config,
    //  $XIECHA_SOCKET, ~/.config/xiecha/client.zpl, /etc/xiecha/client.zpl.
    char endpoint[1024], why[512], path[PATH_MAX];
    const char *env = getenv ("XIECHA_SOCKET");
    bool local = (socket && *socket) || (config && *config);
    const char *cc = NULL;
    if (!local && s_client_config)
        cc = s_client_config;
    else if (!local && !(env && *env))
        cc = s_client_config_path (path, sizeof path);
    if (cc)
        return s_connect_terminal (cmd, cc, timeout_ms);
    if (cli_endpoint (socket, config, endpoint, sizeof endpoint, why,
                      sizeof why)) {
        cli_error (cmd, "%s", why);
        return NULL;
    }
    xc_client_t *client = xc_client_new (endpoint, timeout_ms, why,
                                         sizeof why);
    if (!client)
        cli_error (cmd, "%s", why);
    return client;
}

// ---- Talking to a node ------------------------------------------------------

int
cli_node_option (cli_node_args_t *a, const char *cmd, int c, char **argv)
{
    switch (c) {
    case 'j': a->json = true; return -1;
    case 's': a->socket = optarg; return -1;
    case 'K': cli_set_client_config (optarg); return -1;
    case 'c': a->config = optarg; return -1;
    case 't':
        if (cli_parse_timeout (optarg, &a->timeout_ms))
            return cli_usage_error (cmd, _("--timeout: '%s' is not a number "
                                           "of ms (1..3600000)"), optarg);
        return -1;
    default: return cli_bad_option (cmd, c, argv);
    }
}

int
cli_node_parse (const char *cmd, void (*help) (void), int argc, char **argv,
                cli_node_args_t *a)
{
    static const struct option opts[] = {
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":js:c:t:h", opts, NULL)) != -1) {
        if (c == 'h') {
            help ();
            return CLI_EXIT_OK;
        }
        if ((status = cli_node_option (a, cmd, c, argv)) >= 0)
            return status;
    }
    if (optind < argc)
        return cli_usage_error (cmd,
                                _("unexpected argument '%s'"), argv[optind]);
    return -1;
}

int
cli_failed_cause (const char *cmd, bool json, int rc, int cause,
                  const char *why)
{
    int status = cli_exit_code (rc);
    cli_error (cmd, "%s", why);
    if (json)
        cli_json_error_cause (rc, cause, why, status);
    return status;
}

int
cli_failed (const char *cmd, bool json, int rc, const char *why)
{
    return cli_failed_cause (cmd, json, rc, 0, why);
}

// ---- Files ------------------------------------------------------------------

int
cli_write_file (const char *path, const void *data, size_t len,
                unsigned mode, bool overwrite, char *why, size_t why_len)
{
    cli_out_t *out = cli_out_open (path, mode, why, why_len);
    if (!out)
        return XC_EIO;
    int rc = cli_out_write (out, data, len, why, why_len);
    if (rc) {
        cli_out_abort (&out);
        return rc;
    }
    return cli_out_commit (&out, overwrite, why, why_len);
}

static unsigned s_public_mode;

static void
s_read_umask (void)
{
    mode_t mask = umask (0);
    umask (mask);
    s_public_mode = 0666 & ~mask;
}

unsigned
cli_public_mode (void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once (&once, s_read_umask);
    return s_public_mode;
}

int
cli_write_armored (const char *path, const char *label, const uint8_t *data,
                   size_t len, bool overwrite, char *why, size_t why_len)
{
    char *text = NULL;
    int rc = xc_armor_encode (label, data, len, &text);
    if (rc)
        return xc_why (why, why_len, rc, "%s", _("out of memory"));
    rc = cli_write_file (path, text, strlen (text), cli_public_mode (),
                         overwrite, why, why_len);
    free (text);
    return rc;
}

int
cli_zpl_quote (const char *value, char *out, size_t len)
{
    if (strpbrk (value, "\r\n"))
        return -1;
    char q = strchr (value, '"') ? '\'' : '"';
    if (q == '\'' && strchr (value, '\''))
        return -1;
    return (size_t) snprintf (out, len, "%c%s%c", q, value, q) < len ? 0 : -1;
}

int
cli_read_file (const char *path, size_t max, char **out, size_t *len,
               char *why, size_t why_len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen (path, "rb");
    if (!f)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
    size_t cap = 4096, n = 0;
    char *buf = (char *) malloc (cap + 1);
    int rc = 0;
    while (buf) {
        n += fread (buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= max) {
            rc = xc_why (why, why_len, XC_ETOOBIG,
                         _("%s: larger than %zu bytes"),
                         path, max);
            break;
        }
        cap *= 2;
        char *bigger = (char *) realloc (buf, cap + 1);
        if (!bigger) {
            free (buf);
            buf = NULL;
        }
        else
            buf = bigger;
    }
    if (!buf)
        rc = xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    else if (rc == 0 && ferror (f))
        rc = xc_why (why, why_len, XC_EIO, _("%s: read error"), path);
    fclose (f);
    if (rc) {
        free (buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

// ---- JSON writer --------------------------------------------------------------

//  Length of the valid UTF-8 sequence at s, or 0 if it is not one.
static size_t
s_utf8_len (const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4
               : c >= 0xe0           ? 3
               : c >= 0xc2 && c < 0xe0 ? 2
                                       : 0;
    if (n == 0 || c > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    //  Overlong forms, surrogates and code points past U+10FFFF.
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)
        || (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

void
cli_json_escape (FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    fputc ('"', out);
    while (*p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            fputc ('\\', out);
            fputc ((int) c, out);
        }
        else if (c == '\n')
            fputs ("\\n", out);
        else if (c == '\r')
            fputs ("\\r", out);
        else if (c == '\t')
            fputs ("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf (out, "\\u%04x", c);
        else if (c < 0x80)
            fputc ((int) c, out);
        else {
            size_t n = s_utf8_len (p);
            if (n == 0) {
                fputs ("\\ufffd", out);   // not UTF-8: replace, stay valid
                p++;
                continue;
            }
            fwrite (p, 1, n, out);
            p += n;
            continue;
        }
        p++;
    }
    fputc ('"', out);
}

void
cli_json_init (cli_json_t *j, FILE *out)
{
    memset (j, 0, sizeof *j);
    j->out = out;
    j->first[0] = true;
}

//  Comma, newline, indentation and "key": before a value.
static void
s_json_prefix (cli_json_t *j, const char *key)
{
    if (j->depth > 0) {
        fputs (j->first[j->depth] ? "\n" : ",\n", j->out);
        for (int i = 0; i < j->depth; i++)
            fputs ("  ", j->out);
    }
    j->first[j->depth] = false;
    if (key) {
        cli_json_escape (j->out, key);
        fputs (": ", j->out);
    }
}

static void
s_json_open (cli_json_t *j, const char *key, char bracket)
{
    s_json_prefix (j, key);
    fputc (bracket, j->out);
    if (j->depth + 1 < CLI_JSON_DEPTH)
        j->depth++;
    j->first[j->depth] = true;
    j->kind[j->depth] = bracket;
}

void
cli_json_object (cli_json_t *j, const char *key)
{
    s_json_open (j, key, '{');
}

void
cli_json_array (cli_json_t *j, const char *key)
{
    s_json_open (j, key, '[');
}

void
cli_json_end (cli_json_t *j)
{
    bool empty = j->first[j->depth];
    char closer = j->kind[j->depth] == '[' ? ']' : '}';
    if (j->depth > 0)
        j->depth--;
    if (!empty) {
        fputc ('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs ("  ", j->out);
    }
    fputc (closer, j->out);
    if (j->depth == 0)
        fputc ('\n', j->out);
}

void
cli_json_str (cli_json_t *j, const char *key, const char *value)
{
    s_json_prefix (j, key);
    if (value)
        cli_json_escape (j->out, value);
    else
        fputs ("null", j->out);
}

void
cli_json_place (cli_json_t *j, const char *key, const char *code)
{
    char name_key[64];
    snprintf (name_key, sizeof name_key, "%s_division", key);
    cli_json_str (j, key, code);
    cli_json_str (j, name_key, xc_division_name (code));
}

void
cli_json_uint (cli_json_t *j, const char *key, uint64_t value)
{
    s_json_prefix (j, key);
    fprintf (j->out, "%llu", (unsigned long long) value);
}

void
cli_json_int (cli_json_t *j, const char *key, int64_t value)
{
    s_json_prefix (j, key);
    fprintf (j->out, "%lld", (long long) value);
}

void
cli_json_bool (cli_json_t *j, const char *key, bool value)
{
    s_json_prefix (j, key);
    fputs (value ? "true" : "false", j->out);
}

void
cli_json_null (cli_json_t *j, const char *key)
{
    s_json_prefix (j, key);
    fputs ("null", j->out);
}

//  The symbolic name of an XC_E* code, for machines: the error table's
//  (error.h), so a new code needs no second list here.
static const char *
s_code_name (int code)
{
    const char *name = xc_error_name (code);
    return name ? name : "XC_EINTERNAL";
}

void
cli_json_error_cause (int xc_code, int cause, const char *why, int exit_code)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "error", why);
    cli_json_str (&j, "code", s_code_name (xc_code));
    if (cause)
        cli_json_str (&j, "cause", s_code_name (cause));
    cli_json_int (&j, "exit", exit_code);
    cli_json_end (&j);
}

void
cli_json_error (int xc_code, const char *why, int exit_code)
{
    cli_json_error_cause (xc_code, 0, why, exit_code);
}

// ---- Progress line --------------------------------------------------------------

void
cli_progress_init (cli_progress_t *p, bool enabled, const char *what)
{
    memset (p, 0, sizeof *p);
    p->enabled = enabled;
    p->what = what;
}

void
cli_progress_update (cli_progress_t *p, uint64_t done, uint64_t total)
{
    if (!p->enabled)
        return;
    //  Drawing costs a write(2) per call: at most ten a second.
    int64_t now = zclock_mono ();
    if (done < total && p->drawn && now - p->last_ms < 100)
        return;
    p->last_ms = now;
    p->drawn = true;
    unsigned pct = total ? (unsigned) (done * 100 / total) : 100;
    fprintf (stderr, "\r%s %llu/%llu (%u%%)", p->what,
             (unsigned long long) done, (unsigned long long) total, pct);
    fflush (stderr);
}

void
cli_progress_end (cli_progress_t *p)
{
    if (p->enabled && p->drawn)
        fputc ('\n', stderr);
    p->drawn = false;
}
