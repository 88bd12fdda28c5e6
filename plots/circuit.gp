# circuit.gp — a circuit's current against its breaker, and the breaker's heat.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title       string  scenario name
#     heading     string  what the plot shows (the title's first line)
#     name        string  circuit name
#     rating      number  breaker rating In, A
#     cont_limit  number  continuous-load limit, A
#     trip_time   number  when the breaker tripped, s (-1 if it did not)
#     tscale      number  seconds per x unit: 1 or 60
#     tunit       string  the x unit: 's' or 'min'
#     curve       string  the breaker's curve, e.g. 'UL 489 (fast edge)'
#
#   Datablocks
#     $CUR  1 t_s   2 I mean, A   3 I min, A   4 I max, A
#           5 breaker heat, max over the sample (1 = trips; may exceed 1)
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
set xlabel sprintf('Time (%s)', tunit)
set ylabel sprintf('Current on circuit %s (A RMS)', name)
set y2label sprintf('Breaker heat (%% of trip), %s', curve)
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set border 11
set tics out
set bmargin 7
set xtics nomirror
set ytics nomirror
set y2tics 0, 10, 110 nomirror tc rgb c_heat
set y2label tc rgb c_heat
set xrange [0:*]
set autoscale xfixmax
set yrange [0:*]
set y2range [0:110]
set offsets 0, graph 0.02, graph 0.08, 0

t(s) = s / real(tscale)

# the breaker's trip point on the heat axis
set arrow 1 from graph 0, second 100 to graph 1, second 100 nohead dt 2 lw 1 lc rgb c_heat
set label 1 'heat 100 %: trips' at graph 0.01, second 100 offset 0, 0.6 tc rgb c_heat

# when it tripped: a vertical line and the time
if (trip_time >= 0) {
    tt = t(trip_time)
    set arrow 2 from first tt, graph 0 to first tt, graph 1 nohead lw 2 lc rgb c_ac front
    set label 2 sprintf('trips at %.4g %s ', tt, tunit) at first tt, graph 0.97 \
        right front tc rgb c_ac
}

# the text terminal: no grid (it would draw in characters), no right-axis
# label (no room), a plain key
if (dumb) {
    unset grid
    unset y2label
    set key nobox
    set bmargin
}

if (dumb) {
    plot $CUR using (t($1)):4 with lines title 'current max', \
         $CUR using (t($1)):2 with lines title 'current mean', \
         $CUR using (t($1)):(rating) with lines title sprintf('rating %g A', rating), \
         $CUR using (t($1)):(cont_limit) with lines \
             title sprintf('continuous limit %g A', cont_limit), \
         $CUR using (t($1)):(100 * $5) axes x1y2 with lines title 'breaker heat (%)'
} else {
    plot $CUR using (t($1)):3:4 with filledcurves \
             fs transparent solid 0.25 noborder fc rgb c_ac title 'current min/max', \
         $CUR using (t($1)):2 with lines lw 2 lc rgb c_ac title 'current (mean)', \
         $CUR using (t($1)):(rating) with lines lw 2 dt 2 lc rgb c_limit \
             title sprintf('breaker rating %g A', rating), \
         $CUR using (t($1)):(cont_limit) with lines lw 2 dt 2 lc rgb c_warn \
             title sprintf('continuous limit %g A', cont_limit), \
         $CUR using (t($1)):(100 * $5) axes x1y2 with lines lw 2 lc rgb c_heat \
             title 'breaker heat (% of trip, right axis)'
}
