/*  cli_paper.c - the printed certificate (cli_paper.h).

    Reading order: the page's content, once (s_doc_*: what the paper
    says, in the words of the documents), then its two renderings, PDF
    through cairo and HTML, which only lay it out. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_paper.h"
#include "xiecha/text.h"
#include "cli_qr.h"

#define S_FIELDS 10
#define S_COLS 7              /* name, ID, up to five programs */
#define S_ROWS XC_MAX_HOUSEHOLD
#define S_CELL 160
#define S_FONT "WenQuanYi Micro Hei"   /* Debian fonts-wqy-microhei */

/* --------------------------------------------------------------------------
   What the page says
   -------------------------------------------------------------------------- */

typedef struct {
    char title[96];
    char field[S_FIELDS][2][S_CELL];       /* label, value */
    size_t n_fields;
    char head[S_COLS][S_CELL];
    char cell[S_ROWS][S_COLS][S_CELL];
    size_t n_cols, n_rows;
    char rosters[512];
    char seal[2][S_CELL];                  /* key id, fingerprint */
    QRcode *qr;
} s_doc_t;

static void
s_field (s_doc_t *d, const char *label, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_field (s_doc_t *d, const char *label, const char *fmt, ...)
{
    if (d->n_fields == S_FIELDS)
        return;
    snprintf (d->field[d->n_fields][0], S_CELL, "%s", label);
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (d->field[d->n_fields][1], S_CELL, fmt, ap);
    va_end (ap);
    d->n_fields++;
}

/*  One subject's cell for one program: 未享受, or 正在享受 with since
    date and the paying county. */
static void
s_result_cell (const Xiecha__SubjectResult *r, int program, char *out)
{
    for (size_t i = 0; i < r->n_enrollments; i++) {
        const Xiecha__Enrollment *e = r->enrollments[i];
        if ((int) e->program != program)
            continue;
        char since[11], place[CLI_PLACE_LEN];
        xc_date_text (e->since, since);
        snprintf (out, S_CELL, "正在享受 自%s (%s)", since,
                  cli_place (e->node, place, sizeof place));
        return;
    }
    snprintf (out, S_CELL, "未享受");
}

static void
s_doc_table (s_doc_t *d, const cli_paper_t *p,
             const Xiecha__Certificate *c)
{
    snprintf (d->head[0], S_CELL, "姓名");
    snprintf (d->head[1], S_CELL, "身份证号码");
    d->n_cols = 2;
    for (size_t k = 0; k < c->n_programs && d->n_cols < S_COLS; k++)
        snprintf (d->head[d->n_cols++], S_CELL, "%s",
                  xc_program_title_zh (c->programs[k]));
    d->n_rows = c->n_results < S_ROWS ? c->n_results : S_ROWS;
    for (size_t i = 0; i < d->n_rows; i++) {
        const cli_paper_person_t *who = &p->people[i];
        snprintf (d->cell[i][0], S_CELL, "%s", *who->name ? who->name
                                                          : "（未填写）");
        snprintf (d->cell[i][1], S_CELL, "%s", *who->masked ? who->masked
                                                            : "—");
        for (size_t k = 2; k < d->n_cols; k++)
            s_result_cell (c->results[i], c->programs[k - 2], d->cell[i][k]);
    }
}

static void
s_doc_rosters (s_doc_t *d, const Xiecha__Certificate *c)
{
    size_t used = 0;
    for (size_t k = 0; k < c->n_rosters && used < sizeof d->rosters; k++) {
        char date[11] = "无";
        if (c->rosters[k]->as_of)
            xc_date_text (c->rosters[k]->as_of, date);
        used += (size_t) snprintf (d->rosters + used,
                                   sizeof d->rosters - used, "%s%s %s",
                                   k ? "；" : "",
                                   xc_program_title_zh (c->rosters[k]->program),
                                   date);
    }
}

static int
s_doc_new (s_doc_t *d, const cli_paper_t *p, char *why, size_t why_len)
{
    memset (d, 0, sizeof *d);
    const Xiecha__Signed *msg = p->cert->msg;
    const Xiecha__Certificate *c = msg->certificate;
    int all_not = 1;
    for (size_t i = 0; i < c->n_results; i++)
        all_not &= c->results[i]->n_enrollments == 0;
    snprintf (d->title, sizeof d->title, "%s", all_not
                  ? "未享受社会救助证明" : "社会救助享受情况证明");
    char place[CLI_PLACE_LEN], issued[32], until[32];
    s_field (d, "出具单位", "%s 民政部门（户籍地）",
             cli_place (msg->header->sender, place, sizeof place));
    s_field (d, "申请地", "%s（居住地）",
             cli_place (c->requester, place, sizeof place));
    s_field (d, "乡镇（街道）", "%s", p->township && *p->township
                                          ? p->township : "—");
    s_field (d, "两地关系", "%s", xc_relation_title_zh (c->relation));
    xc_zone_time (c->issued_at, issued);
    xc_zone_time (c->valid_until, until);
    s_field (d, "核对时间", "%s", issued);
    s_field (d, "有效期至", "%s", until);
    char qid[2 * XC_MSGID_LEN + 1] = "";
    if (c->query_id.len == XC_MSGID_LEN)
        xc_hex (c->query_id.data, XC_MSGID_LEN, qid);
    s_field (d, "核对编号", "%s", qid);
    s_doc_table (d, p, c);
    s_doc_rosters (d, c);
    uint8_t fp[XC_HASH_LEN];
    xc_sha256 (p->envelope, p->envelope_len, fp);
    char hex[2 * XC_HASH_LEN + 1];
    xc_hex (fp, XC_HASH_LEN, hex);
    snprintf (d->seal[0], S_CELL, "签名密钥 %s", p->cert->env->key_id);
    snprintf (d->seal[1], S_CELL, "证书指纹 SHA-256 %.32s…", hex);
    d->qr = cli_qr_encode (p->envelope, p->envelope_len, why, why_len);
    return d->qr ? 0 : XC_ETOOBIG;
}

/* --------------------------------------------------------------------------
   PDF (A4, points)
   -------------------------------------------------------------------------- */

#define S_W 595.0
#define S_H 842.0
#define S_MARGIN 48.0

static void
s_text (cairo_t *cr, double x, double y, double size, const char *text)
{
    cairo_set_font_size (cr, size);
    cairo_move_to (cr, x, y);
    cairo_show_text (cr, text);
}

/*  Text cut to fit width: CJK has no spaces to wrap at, and a cell is one
    line; what does not fit ends in an ellipsis. */
static void
s_text_fit (cairo_t *cr, double x, double y, double size, double width,
            const char *text)
{
    char buf[S_CELL + 4];
    size_t n = strlen (text) < S_CELL ? strlen (text) : S_CELL - 1;
    memcpy (buf, text, n);
    buf[n] = '\0';
    cairo_text_extents_t ext;
    cairo_set_font_size (cr, size);
    cairo_text_extents (cr, buf, &ext);
    while (ext.x_advance > width && n > 0) {
        do   /* back one UTF-8 character */
            n--;
        while (n > 0 && ((unsigned char) buf[n] & 0xC0) == 0x80);
        memcpy (buf + n, "\xE2\x80\xA6", 4);   /* "…" and the NUL */
        cairo_text_extents (cr, buf, &ext);
    }
    s_text (cr, x, y, size, buf);
}

static double
s_pdf_table (cairo_t *cr, const s_doc_t *d, double y)
{
    double width = S_W - 2 * S_MARGIN;
    double col[S_COLS] = {70, 120};
    double rest = (width - col[0] - col[1]) / (double) (d->n_cols - 2);
    for (size_t k = 2; k < d->n_cols; k++)
        col[k] = rest;
    double row_h = 20;
    cairo_set_line_width (cr, 0.6);
    for (size_t r = 0; r <= d->n_rows; r++) {
        double x = S_MARGIN;
        for (size_t k = 0; k < d->n_cols; k++) {
            cairo_rectangle (cr, x, y, col[k], row_h);
            cairo_stroke (cr);
            const char *t = r == 0 ? d->head[k] : d->cell[r - 1][k];
            s_text_fit (cr, x + 3, y + 14, r == 0 ? 9.5 : 8.5, col[k] - 6,
                        t);
            x += col[k];
        }
        y += row_h;
    }
    return y;
}

static void
s_pdf_qr (cairo_t *cr, const QRcode *qr, double x, double y, double side)
{
    double m = side / (qr->width + 8);   /* a quiet zone of 4 modules */
    cairo_set_source_rgb (cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width; c++)
            if (qr->data[r * qr->width + c] & 1)
                cairo_rectangle (cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
    cairo_fill (cr);
}

/*  cairo writes the PDF here, so the file is written whole or not at
    all (cli_write_file). */
static cairo_status_t
s_pdf_chunk (void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite (data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                 : CAIRO_STATUS_WRITE_ERROR;
}

static int
s_pdf (const s_doc_t *d, const char *path, char *why, size_t why_len)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream (&buf, &len);
    if (!mem)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream (s_pdf_chunk,
                                                              mem, S_W, S_H);
    cairo_t *cr = cairo_create (s);
    cairo_select_font_face (cr, S_FONT, CAIRO_FONT_SLANT_NORMAL,
                            CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb (cr, 0, 0, 0);
    cairo_text_extents_t ext;
    cairo_set_font_size (cr, 20);
    cairo_text_extents (cr, d->title, &ext);
    s_text (cr, (S_W - ext.x_advance) / 2, 80, 20, d->title);
    double y = 120;
    for (size_t i = 0; i < d->n_fields; i++, y += 20) {
        s_text (cr, S_MARGIN, y, 10.5, d->field[i][0]);
        s_text_fit (cr, S_MARGIN + 80, y, 10.5, S_W - 2 * S_MARGIN - 80,
                    d->field[i][1]);
    }
    y = s_pdf_table (cr, d, y + 4) + 22;
    s_text (cr, S_MARGIN, y, 9.5, "名册日期（户籍地最近一次全量名册）");
    s_text_fit (cr, S_MARGIN, y + 16, 9.5, S_W - 2 * S_MARGIN, d->rosters);
    double qr_side = 200, qr_y = S_H - S_MARGIN - qr_side - 40;
    s_pdf_qr (cr, d->qr, S_W - S_MARGIN - qr_side, qr_y, qr_side);
    s_text (cr, S_MARGIN, qr_y + 40, 9.5, d->seal[0]);
    s_text (cr, S_MARGIN, qr_y + 58, 9.5, d->seal[1]);
    s_text (cr, S_MARGIN, qr_y + 90, 9, "本证明由户籍地系统自动出具并电子签名，");
    s_text (cr, S_MARGIN, qr_y + 105, 9, "扫描右侧二维码可离线核验：");
    s_text (cr, S_MARGIN, qr_y + 120, 9, "xiecha cert verify --qr 图片文件");
    s_text (cr, S_MARGIN, S_H - S_MARGIN, 8, "Certificate of the registration "
            "county's social assistance records (xiecha); verify the QR "
            "code offline.");
    cairo_show_page (cr);
    cairo_destroy (cr);
    cairo_surface_finish (s);
    cairo_status_t st = cairo_surface_status (s);
    cairo_surface_destroy (s);
    /* The font caches cairo and fontconfig keep for the process, so that
       a leak checker sees what is really left. */
    cairo_debug_reset_static_data ();
    FcFini ();
    fclose (mem);
    int rc = st == CAIRO_STATUS_SUCCESS
                 ? cli_write_file (path, buf, len, 0644, true, why, why_len)
                 : xc_why (why, why_len, XC_EIO, _("%s: cannot make the PDF: "
                           "%s"), path, cairo_status_to_string (st));
    free (buf);
    return rc;
}

/* --------------------------------------------------------------------------
   HTML
   -------------------------------------------------------------------------- */

static void
s_html_text (FILE *f, const char *t)
{
    for (; *t; t++)
        switch (*t) {
        case '<': fputs ("&lt;", f); break;
        case '>': fputs ("&gt;", f); break;
        case '&': fputs ("&amp;", f); break;
        case '"': fputs ("&quot;", f); break;
        default: fputc (*t, f);
        }
}

static void
s_html_qr (FILE *f, const QRcode *qr)
{
    int n = qr->width + 8;
    fprintf (f, "<svg class=\"qr\" viewBox=\"0 0 %d %d\" width=\"260\" "
             "height=\"260\" shape-rendering=\"crispEdges\"><rect width=\""
             "%d\" height=\"%d\" fill=\"#fff\"/><path d=\"", n, n, n, n);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width; c++)
            if (qr->data[r * qr->width + c] & 1)
                fprintf (f, "M%d %dh1v1h-1z", c + 4, r + 4);
    fputs ("\"/></svg>\n", f);
}

static int
s_html (const s_doc_t *d, const char *path, char *why, size_t why_len)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&buf, &len);
    if (!f)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    fputs ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\""
           "utf-8\"><title>", f);
    s_html_text (f, d->title);
    fputs ("</title><style>body{font-family:\"" S_FONT "\",sans-serif;"
           "width:180mm;margin:20mm auto}h1{text-align:center;font-size:"
           "20pt}td,th{border:1px solid #000;padding:3px 6px;font-size:"
           "10pt}table{border-collapse:collapse;width:100%}.f td{border:"
           "none}</style></head><body>\n<h1>", f);
    s_html_text (f, d->title);
    fputs ("</h1>\n<table class=\"f\">\n", f);
    for (size_t i = 0; i < d->n_fields; i++) {
        fputs ("<tr><td>", f);
        s_html_text (f, d->field[i][0]);
        fputs ("</td><td>", f);
        s_html_text (f, d->field[i][1]);
        fputs ("</td></tr>\n", f);
    }
    fputs ("</table>\n<table>\n<tr>", f);
    for (size_t k = 0; k < d->n_cols; k++) {
        fputs ("<th>", f);
        s_html_text (f, d->head[k]);
        fputs ("</th>", f);
    }
    fputs ("</tr>\n", f);
    for (size_t r = 0; r < d->n_rows; r++) {
        fputs ("<tr>", f);
        for (size_t k = 0; k < d->n_cols; k++) {
            fputs ("<td>", f);
            s_html_text (f, d->cell[r][k]);
            fputs ("</td>", f);
        }
        fputs ("</tr>\n", f);
    }
    fputs ("</table>\n<p>名册日期：", f);
    s_html_text (f, d->rosters);
    fputs ("</p>\n<p>", f);
    s_html_text (f, d->seal[0]);
    fputs ("<br>", f);
    s_html_text (f, d->seal[1]);
    fputs ("</p>\n", f);
    s_html_qr (f, d->qr);
    fputs ("<p>扫描二维码可离线核验：xiecha cert verify --qr 图片文件</p>\n"
           "</body></html>\n", f);
    fclose (f);
    int rc = cli_write_file (path, buf, len, 0644, true, why, why_len);
    free (buf);
    return rc;
}

int
cli_paper_write (const cli_paper_t *p, const char *path, int html,
                 cli_paper_info_t *info, char *why, size_t why_len)
{
    s_doc_t *d = malloc (sizeof *d);
    if (!d)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    int rc = s_doc_new (d, p, why, why_len);
    if (rc == 0) {
        info->qr_version = d->qr->version;
        info->qr_bytes = p->envelope_len;
        rc = html ? s_html (d, path, why, why_len)
                  : s_pdf (d, path, why, why_len);
    }
    if (d->qr)
        QRcode_free (d->qr);
    free (d);
    return rc;
}
