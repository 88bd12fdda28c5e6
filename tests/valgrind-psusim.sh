#!/bin/sh
# Runs ./psusim under valgrind's memcheck: any error or leak makes it exit 99,
# which the scenario tests report as a wrong exit status.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    "${PSUSIM_BIN:-./psusim}" "$@"
