#!/bin/sh
# make-synthetic.sh — writes synthetic-2gpu-training.csv (see README.md here).
# Deterministic: integer arithmetic and a Park-Miller generator (seed 20250131),
# so any POSIX awk writes the same bytes. Run from this folder:
#   sh make-synthetic.sh > synthetic-2gpu-training.csv
awk 'BEGIN {
    x = 20250131                          # Park-Miller state; x * 16807 < 2^53: exact
    print "timestamp, power.draw [W]"
    for (k = 0; k <= 600; k++) {          # 601 rounds, every 100 ms: 60 s
        x = (x * 16807) % 2147483647
        j = (k == 0) ? 0 : x % 4          # sampling jitter 0-3 ms
        ms = 30000 + k * 100 + j          # from 2024/12/31 23:59:00.000
        if (ms < 60000) { day = "2024/12/31 23:59:" }
        else            { day = "2025/01/01 00:00:"; ms -= 60000 }
        ts = sprintf("%s%02d.%03d", day, int(ms / 1000), ms % 1000)
        phase = (k * 100 + j) % 500       # ms into the 0.5 s training step
        for (g = 0; g < 2; g++) {
            x = (x * 16807) % 2147483647
            noise = (x / 2147483647 * 2 - 1) * 6          # +/- 6 W
            if (phase < 250) w = (g == 0 ? 560 : 552)     # compute
            else             w = (g == 0 ? 250 : 246)     # communication
            printf "%s, %.2f W\n", ts, w + noise
        }
    }
}'
