# excursion.gp — a PSU's power excursions against the ATX 3.x envelope: the
# highest average DC load over each window length, as a share of the rating.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title   string  scenario name
#     heading string  what the plot shows (the title's first line)
#     name    string  PSU name
#     atx     string  the envelope the unit meets, e.g. 'ATX 3.1'
#     rating  number  PSU rating, W
#
#   Datablocks
#     $ENV  1 window_s   2 allowed average over the window, % of rating
#           (NaN where the unit has no envelope)
#     $RUN  1 window_s   2 the run's highest average over the window, % of rating
#
#   Both have at least one row, windows in increasing order.
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

# The windows and their limits, read into arrays (W: window, s; A: allowed %,
# NaN for none).
stats $ENV using (0) nooutput
n_env = STATS_records
array W[n_env]
array A[n_env]
i = 0
stats $ENV using (i = i + 1, W[i] = $1, A[i] = valid(2) ? $2 : NaN, 0) nooutput

# The envelope as steps: each limit drawn flat across its own window, from the
# midway point (on the log axis) to the previous window to the midway point to
# the next, so that each of the run's points sits in the middle of the limit it
# is held to. Written to $STEP as the corners of the outline.
mid(a, b) = sqrt(a * b)
left(i)  = i > 1 ? mid(W[i - 1], W[i]) : (n_env > 1 ? W[1] ** 1.5 / sqrt(W[2]) : W[1] / 2)
right(i) = i < n_env ? mid(W[i], W[i + 1]) \
                     : (n_env > 1 ? W[i] ** 1.5 / sqrt(W[i - 1]) : W[i] * 2)
has_limit = 0
set print $STEP
do for [i = 1:n_env] {
    if (A[i] == A[i]) {
        print sprintf('%.10g %.10g', left(i), A[i])
        print sprintf('%.10g %.10g', right(i), A[i])
        has_limit = 1
    } else {
        print ''
    }
}
unset print
x_lo = left(1)
x_hi = right(n_env)

set title heading . "\n" . title font ',13'
set xlabel 'Window: how long the load is averaged over (s)'
set ylabel sprintf('Average DC load (%% of the %g W rating of PSU %s)', rating, name)
set logscale x
set xrange [x_lo:x_hi]
set xtics ('100 µs' 1e-4, '1 ms' 1e-3, '10 ms' 1e-2, '100 ms' 0.1, '1 s' 1)
set mxtics 10
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set bmargin 7
set border 3
set tics nomirror out

# the rating: 100 % (named in the key, where no point can cover it)
set arrow 1 from graph 0, first 100 to graph 1, first 100 nohead dt 2 lw 1 lc rgb c_limit
if (!has_limit) {
    set label 2 sprintf('no excursion envelope for PSU %s: %s', name, atx) \
        at graph 0.5, graph 0.95 center tc rgb c_std
}

# the run's values on a white box, readable over lines and the shading
set style textbox opaque fc rgb '#ffffff' noborder margins 1, 1
env_title = sprintf('allowed (%s)', atx)
pct(v) = sprintf('%.0f %%', v)

# the text terminal: no grid (it would draw in characters), no right-axis
# label (no room), a plain key
if (dumb) {
    unset grid
    unset y2label
    set key nobox
    set bmargin
}

if (dumb) {
    plot $STEP using 1:2 with lines title env_title, \
         $RUN using 1:2 with points pt 7 title sprintf('%s: highest average', name), \
         $RUN using 1:2:(pct($2)) with labels left offset 1, 0.5 notitle
} else {
    plot $STEP using 1:2 with filledcurves y1=0 \
             fs transparent solid 0.15 noborder fc rgb c_std notitle, \
         $STEP using 1:2 with lines lw 2 lc rgb c_std title env_title, \
         $RUN using 1:2 with linespoints lw 1 dt 3 pt 7 ps 1.5 lc rgb c_ac \
             title sprintf('the run on %s: highest average over the window', name), \
         $RUN using 1:2:(pct($2)) with labels boxed left offset 1, 0.7 tc rgb c_ac notitle, \
         keyentry with lines dt 2 lw 1 lc rgb c_limit title 'PSU rating (100 %)'
}
