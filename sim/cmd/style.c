/* style — how the text output is laid out on this output: the width it must fit
 * and whether the verdict words are coloured. */
#define _DEFAULT_SOURCE   /* TIOCGWINSZ (sys/ioctl.h) beside _POSIX_C_SOURCE */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"

/* The narrowest width psusim lays its text out for; below it, lines are cut
 * into pieces too small to read. */
enum { MIN_COLUMNS = 40, DEFAULT_COLUMNS = 80 };

struct report_style cli_text_style(const struct cli *c)
{
    struct report_style st = { DEFAULT_COLUMNS, 0 };
    int tty = isatty(STDOUT_FILENO);
    const char *cols = getenv("COLUMNS"), *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    char *end;
    long n = cols ? strtol(cols, &end, 10) : 0;
    struct winsize ws;
    if (c->wide) st.width = 0;   /* the wide table, lines as long as they are */
    else if (cols && *end == '\0' && n > 0) st.width = n < MIN_COLUMNS ? MIN_COLUMNS : (int)n;
    else if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        st.width = ws.ws_col < MIN_COLUMNS ? MIN_COLUMNS : ws.ws_col;
    /* colour on a terminal only, never with NO_COLOR set (https://no-color.org)
     * or on a dumb terminal */
    st.color = tty && !(no_color && no_color[0]) && !(term && strcmp(term, "dumb") == 0);
    return st;
}
