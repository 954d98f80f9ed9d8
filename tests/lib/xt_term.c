/*  xt_term.c - township terminals of a federation's node; see
    xt_term.h. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xt_term.h"

#define S_RELOADED "terminal list reloaded"

const char *
xt_term_enable (xt_fed_t *fed, size_t i)
{
    static char endpoint[64];
    int fd;
    int port = xt_port_reserve (&fd);
    //  Held until exit: closed, the port could go to another bind(0).
    (void) fd;
    snprintf (endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    char text[256];
    snprintf (text, sizeof text, "    terminal_bind = \"%s\"\n"
              "    terminals = \"terminals.zpl\"\n", endpoint);
    xt_fed_config_node (fed, i, text);
    char path[PATH_MAX + 32];
    snprintf (path, sizeof path, "%s/terminals.zpl", fed->nodes[i].dir);
    xt_writef (path, "#   terminals of node %s\n", fed->nodes[i].code);
    return endpoint;
}

/*  node i's terminal endpoint, read back from its config. */
static void
s_endpoint (xt_fed_t *fed, size_t i, char *out, size_t len)
{
    zconfig_t *c = zconfig_load (fed->nodes[i].config);
    const char *ep = c ? zconfig_get (c, "node/terminal_bind", NULL) : NULL;
    if (!ep)
        xt_fail ("%s: no node/terminal_bind (xt_term_enable first)",
                 fed->nodes[i].config);
    snprintf (out, len, "%s", ep);
    zconfig_destroy (&c);
}

/*  client.zpl in dir for node i with the key pair dir/terminal.cert. */
static void
s_client_zpl (xt_fed_t *fed, size_t i, const char *dir, char out[PATH_MAX])
{
    char cert[PATH_MAX + 32], ep[128];
    snprintf (cert, sizeof cert, "%s/curve.cert", fed->nodes[i].dir);
    zcert_t *node = zcert_load (cert);
    if (!node)
        xt_fail ("%s: cannot load", cert);
    s_endpoint (fed, i, ep, sizeof ep);
    snprintf (out, PATH_MAX, "%s/client.zpl", dir);
    xt_writef (out, "client\n    endpoint = \"%s\"\n    server_key = \"%s\"\n"
               "    secret_key = \"terminal.cert_secret\"\n", ep,
               zcert_public_txt (node));
    zcert_destroy (&node);
}

/*  `xiecha keygen --terminal --dir dir`; the public key into key[41]. */
static void
s_keygen (xt_fed_t *fed, const char *dir, char key[41])
{
    char out[256];
    const char *args[] = {"keygen", "--terminal", "--dir", dir, NULL};
    if (xt_fed_cli (fed, -1, out, sizeof out, args) != 0)
        xt_fail ("xiecha keygen --terminal --dir %s failed", dir);
    if (strlen (out) < 40)
        xt_fail ("xiecha keygen --terminal printed '%s'", out);
    memcpy (key, out, 40);
    key[40] = '\0';
}

void
xt_term_add (xt_fed_t *fed, size_t i, const char *id, const char *roles,
             char out[PATH_MAX])
{
    char dir[PATH_MAX], key[41], township[16], name[64], output[1024];
    snprintf (dir, sizeof dir, "%s/term-%s", fed->nodes[i].dir, id);
    s_keygen (fed, dir, key);
    snprintf (township, sizeof township, "%s100", fed->nodes[i].code);
    snprintf (name, sizeof name, "Operator of %s", id);
    const char *args[] = {"terminal", "add", "--id", id, "--township",
                          township, "--township-name", "Township 100",
                          "--operator", name, "--curve", key, "--roles",
                          roles, NULL};
    if (xt_fed_cli (fed, (int) i, output, sizeof output, args) != 0)
        xt_fail ("xiecha terminal add --id %s failed: %s", id, output);
    s_client_zpl (fed, i, dir, out);
}

void
xt_term_stranger (xt_fed_t *fed, size_t i, char out[PATH_MAX])
{
    char dir[PATH_MAX], key[41];
    snprintf (dir, sizeof dir, "%s/term-stranger", fed->nodes[i].dir);
    s_keygen (fed, dir, key);
    s_client_zpl (fed, i, dir, out);
}

void
xt_term_reload (xt_fed_t *fed, size_t i)
{
    int before = xt_fed_log_count (fed, i, S_RELOADED);
    if (!fed->nodes[i].pid || kill (fed->nodes[i].pid, SIGHUP) != 0)
        xt_fail ("node %s: cannot send SIGHUP", fed->nodes[i].code);
    for (int waited = 0; xt_fed_log_count (fed, i, S_RELOADED) <= before;
         waited += 50) {
        if (waited > 30000) {
            xt_fed_log_tail (fed, i, 20);
            xt_fail ("node %s did not reload its terminal list",
                     fed->nodes[i].code);
        }
        zclock_sleep (50);
    }
}

xc_client_t *
xt_term_client (const char *client_zpl, int timeout_ms)
{
    xc_client_config_t cc;
    char why[512];
    if (xc_client_config_load (client_zpl, &cc, why, sizeof why) != 0)
        xt_fail ("%s", why);
    xc_client_t *c = xc_client_new_terminal (&cc, timeout_ms, why,
                                             sizeof why);
    if (!c)
        xt_fail ("terminal client %s: %s", client_zpl, why);
    return c;
}
