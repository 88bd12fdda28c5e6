# tripcurve.gp — the breaker's time-current curve (log-log) with the run's
# operating envelope.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title   string  scenario name
#     heading string  what the plot shows (the title's first line)
#     name    string  circuit name
#     rating  number  breaker rating In, A
#     curve   string  the curve family, e.g. 'UL 489'
#
#   Datablocks
#     $BAND  1 I/In   2 t_fast_s   3 t_nominal_s   4 t_slow_s
#            (trip times of the tolerance band's edges; NaN where the edge
#            never trips)
#     $ENV   1 duration_s   2 I/In: the highest current sustained that long
#
# A point of the envelope right of (or above) the band means the breaker
# trips; left of (below) it, it holds.
#
# Edit freely: the file is read as it is at each run (PSUSIM_PLOTS names
# another folder of scripts).

# ---- palette: the same block heads every psusim script --------------------
c_ac    = '#d62728'   # the wall side: AC input, circuit current, the run's peaks
c_dc    = '#4d4d4d'   # DC totals
c_limit = '#000000'   # ratings (dashed)
c_warn  = '#ff7f0e'   # continuous-load limit
c_heat  = '#9467bd'   # breaker heat
c_std   = '#1f77b4'   # a standard's curve or envelope
c_eff   = '#2ca02c'   # efficiency
c_hist  = '#7a7a7a'   # time spent at each load
c_grid  = '#c8c8c8'
c_loads = '#1f77b4 #ff7f0e #2ca02c #9467bd #8c564b #e377c2 #17becf #bcbd22'
load_colour(k) = k < 1 ? c_dc : word(c_loads, (int(k) - 1) % words(c_loads) + 1)
# ---------------------------------------------------------------------------

dumb = GPVAL_TERM eq 'dumb'   # text terminal: no shading, lines instead

# The axes: 1 to 30 In and 1 ms to 10000 s, widened to show every point of the
# run's envelope (a healthy run sits below 1 In; its first point is one
# simulation step, well under 1 ms).
x_lo = 1.0
y_lo = 0.001
stats $ENV using 2:1 nooutput
if (STATS_records > 0) {
    if (STATS_min_x < x_lo) { x_lo = STATS_min_x / 1.5 }
    if (STATS_min_y < y_lo) { y_lo = 10 ** floor(log10(STATS_min_y)) }
}
x_lo = x_lo < 0.05 ? 0.05 : x_lo
y_lo = y_lo < 1e-6 ? 1e-6 : y_lo

set title heading . "\n" . title font ',13'
set xlabel sprintf('Current (multiple of the rated current In = %g A)', rating)
set ylabel 'Time to trip, or time sustained (s)'
set logscale xy
set xrange [x_lo:30]
set yrange [y_lo:10000]
set xtics ('0.1' 0.1, '0.2' 0.2, '0.5' 0.5, '1' 1, '2' 2, '3' 3, '5' 5, '10' 10, '20' 20, '30' 30)
set ytics format '%g'
set mxtics 10
set mytics 10
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set grid mxtics mytics lt 1 lc rgb '#eeeeee' lw 1, lt 1 lc rgb '#eeeeee' lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set bmargin 7
set border 3
set tics nomirror out

# the rating and the regions either side of the band
set arrow 1 from first 1, graph 0 to first 1, graph 1 nohead dt 2 lw 1 lc rgb c_limit
set label 1 'In' at first 1, graph 1 right offset -0.5, -1 tc rgb c_limit
set label 2 'trips' at graph 0.96, graph 0.92 right font ',16' tc rgb c_ac
set label 3 'holds' at graph 0.03, graph 0.06 left font ',16' tc rgb c_std

# NaN (never trips) in the slow edge: the band reaches past the top of the plot
slow_or_top(c) = valid(c) ? column(c) : 1e9

# the text terminal: no grid (it would draw in characters), no right-axis
# label (no room), a plain key
if (dumb) {
    unset grid
    unset y2label
    set key nobox
    set bmargin
}

if (dumb) {
    plot $BAND using 1:2 with lines title 'fast edge', \
         $BAND using 1:3 with lines title sprintf('%s nominal', curve), \
         $BAND using 1:4 with lines title 'slow edge', \
         $ENV using 2:1 with linespoints title sprintf('run on %s', name)
} else {
    plot $BAND using 1:2:(slow_or_top(4)) with filledcurves \
             fs transparent solid 0.25 noborder fc rgb c_std \
             title sprintf('%s tolerance band (fast to slow edge)', curve), \
         $BAND using 1:3 with lines lw 2 lc rgb c_std title sprintf('%s nominal', curve), \
         $ENV using 2:1 with linespoints lw 2 pt 7 ps 1.2 lc rgb c_ac \
             title sprintf('the run on %s: highest current held for each duration', name)
}
