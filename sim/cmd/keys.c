/* keys — psusim keys: every scenario section and key, Markdown (the README's
 * scenario reference is this output, make readme-keys). */
#include <stdio.h>

#include "cmd.h"
#include "scenario.h"

int cmd_keys(const struct cli *c)
{
    (void)c;
    scenario_write_reference(stdout);
    return fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
}
