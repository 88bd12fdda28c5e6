# upsload.gp — a UPS's load against its overload curve: for each band of the
# datasheet's curve, how long the UPS may carry a load at or above it, and the
# longest stretch the run spent at or above it.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     heading   string  what the plot shows (the title's first line)
#     title     string  scenario name
#     name      string  UPS name
#     rating    string  its ratings, e.g. '1500 VA / 1000 W line-interactive'
#     peak      number  the run's highest step load, % of the rating
#     mean      number  the run's mean load, %
#     shutdown  number  when it shut down, s (NaN: it did not)
#     why       string  why it shut down ('' when it did not)
#
#   Datablocks
#     $CURVE  1 load %   2 time allowed at or above it, s   (bands, load ascending)
#     $RUN    1 load %   2 the run's longest stretch at or above it, s (0: never)
#
#   $CURVE has at least one row; $RUN has one row per band.
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
# ---------------------------------------------------------------------------

dumb = GPVAL_TERM eq 'dumb'   # text terminal: no shading, lines instead

# The bands into arrays (L: load %, T: time s)
stats $CURVE using (0) nooutput
n = STATS_records
array L[n]
array T[n]
i = 0
stats $CURVE using (i = i + 1, L[i] = $1, T[i] = $2, 0) nooutput

# The curve as the outline of what is allowed: from 100 % (indefinitely, drawn
# to the right edge) down each band's time
t_min = T[n] / 10.0
t_max = T[1] * 10.0
set print $STEP
print sprintf('%.10g %.10g', t_max, 100.0)
print sprintf('%.10g %.10g', t_max, L[1])
top = peak > L[n] * 1.5 ? peak * 1.1 : L[n] * 1.6
do for [i = 1:n] {
    print sprintf('%.10g %.10g', T[i], L[i])
    print sprintf('%.10g %.10g', T[i], i < n ? L[i + 1] : top)
}
# shorter than the last band's time, any load is carried
print sprintf('%.10g %.10g', t_min, top)
unset print

set title heading . "\n" . title font ',13'
set xlabel 'Time at or above the load (s)'
set ylabel sprintf('Load (%% of the rating of UPS %s: %s)', name, rating)
set logscale x
set xrange [t_min:t_max]
set yrange [0:top]
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set bmargin 7
set border 3
set tics nomirror out
set arrow 1 from graph 0, first 100 to graph 1, first 100 nohead dt 2 lw 1 lc rgb c_limit
set arrow 2 from graph 0, first peak to graph 1, first peak nohead dt 3 lw 1 lc rgb c_ac
set label 3 sprintf('peak %.0f %%, mean %.0f %%', peak, mean) at graph 0.02, first peak \
    offset 0, 0.7 tc rgb c_ac
if (shutdown == shutdown) {
    set label 4 sprintf('shut down at %.4g s (%s)', shutdown, why) at graph 0.5, graph 0.95 \
        center tc rgb c_ac
}
set style textbox opaque fc rgb '#ffffff' noborder margins 1, 1
# a band never reached sits at the left edge
xat(t) = t > t_min ? t : t_min

if (dumb) {
    unset grid
    set key nobox
    set bmargin
    plot $STEP using 1:2 with lines title 'allowed (overload bands)', \
         $RUN using (xat($2)):1 with points pt 7 title sprintf('%s: longest stretch', name)
} else {
    plot $STEP using 1:2 with filledcurves y1=0 \
             fs transparent solid 0.15 noborder fc rgb c_std notitle, \
         $STEP using 1:2 with lines lw 2 lc rgb c_std title 'allowed (overload bands)', \
         $RUN using (xat($2)):1 with points pt 7 ps 1.5 lc rgb c_ac \
             title sprintf('the run on %s: longest stretch at or above the band', name), \
         $RUN using (xat($2)):1:(sprintf('%.3g s', $2)) with labels boxed left offset 1, 0.7 \
             tc rgb c_ac notitle, \
         keyentry with lines dt 2 lw 1 lc rgb c_limit title 'rating (100 %)'
}
