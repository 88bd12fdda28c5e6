/* diag — see include/diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diag_init(struct diag *d)
{
    d->n = 0;
    d->dropped = 0;
}

void diag_add(struct diag *d, const char *fmt, ...)
{
    if (d->n >= DIAG_MAX) {
        d->dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg[d->n], DIAG_LEN, fmt, ap);
    va_end(ap);
    d->n++;
}

size_t diag_total(const struct diag *d)
{
    return d->n + d->dropped;
}
