# efficiency.gp — a PSU's efficiency curve and the share of the run it spent
# at each load.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title    string  scenario name
#     heading  string  what the plot shows (the title's first line)
#     name     string  PSU name
#     voltage  number  the AC input voltage the curve is for, V
#     rating   number  PSU rating, W
#
#   Datablocks
#     $EFF   1 load, % of rating (0 .. 120)   2 efficiency, %
#     $HIST  1 load bin centre, % of rating   2 share of the run's time, %
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

set title heading . "\n" . title font ',13'
set xlabel sprintf('Load (%% of the %g W rating of PSU %s)', rating, name)
set ylabel sprintf('Efficiency at %g V (%%)', voltage) tc rgb c_eff
set y2label 'Share of the run at this load (% of time)' tc rgb c_hist
set xrange [0:120]
set xtics 0, 10, 120
set yrange [*:100]
set ytics nomirror tc rgb c_eff
# headroom above the tallest bar
stats $HIST using 2 nooutput
h_top = (STATS_records > 0 && STATS_max > 0) ? 1.15 * STATS_max : 1
set y2range [0:h_top]
set y2tics nomirror tc rgb c_hist
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set bmargin 7
set border 11
set tics out
set xtics nomirror
set boxwidth 0.9 relative

# the rating: 100 % load
set arrow 1 from first 100, graph 0 to first 100, graph 1 nohead dt 2 lw 1 lc rgb c_limit
set label 1 'rating' at first 100, graph 1 right offset -0.5, -1 tc rgb c_limit

# the text terminal: no grid (it would draw in characters), no right-axis
# label (no room), a plain key
if (dumb) {
    unset grid
    unset y2label
    set key nobox
    set bmargin
}

if (dumb) {
    plot $HIST using 1:2 axes x1y2 with impulses title 'time at this load (%)', \
         $EFF using 1:2 with lines title sprintf('efficiency of %s at %g V', name, voltage)
} else {
    plot $HIST using 1:2 axes x1y2 with boxes fs solid 0.45 noborder fc rgb c_hist \
             title 'time spent at this load (right axis)', \
         $EFF using 1:2 with lines lw 3 lc rgb c_eff \
             title sprintf('efficiency of %s at %g V (left axis)', name, voltage)
}
