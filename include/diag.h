/* diag — a list of diagnostics collected while reading a scenario.
 *
 * Loading reports every error of a file, not only the first. Each message is
 * complete ("seed.ini:12: [psu main] rating: expected a power (W, kW), got ...");
 * only main.c prints them. Storage is fixed: after DIAG_MAX messages the rest are
 * counted, not kept.
 */
#ifndef PSUSIM_DIAG_H
#define PSUSIM_DIAG_H

#include <stddef.h>

enum { DIAG_MAX = 64, DIAG_LEN = 400 };

struct diag {
    size_t n;                     /* messages kept */
    size_t dropped;               /* messages past DIAG_MAX, counted only */
    char msg[DIAG_MAX][DIAG_LEN]; /* the messages, in the order found */
};

/* Empties D. */
void diag_init(struct diag *d);

/* Appends a printf-formatted message (truncated to DIAG_LEN - 1 characters). */
void diag_add(struct diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Number of messages added, kept or not. */
size_t diag_total(const struct diag *d);

#endif
