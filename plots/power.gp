# power.gp — power over time: each PSU's DC output as a band (lowest to highest
# within each stretch of time) around its mean, its rating as a dashed line in
# the same colour, and the AC input the PSUs draw from the wall.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title       string  scenario name
#     heading   string  what the plot shows (the title's first line)
#     npsus       number  number of PSUs
#     names       string  the PSU names, space-separated (safe words)
#     ratings     string  their ratings in W, space-separated, in the same order
#     tscale      number  seconds per x unit: 1 or 60
#     tunit       string  the x unit: 's' or 'min'
#
#   Datablock $POWER, one row per stretch of time (psusim makes each stretch
#   several load cycles long, so a training run shows a band, not a comb):
#             1 t_s
#             for PSU k = 1 .. npsus: 3k - 1 DC min, W   3k DC mean, W   3k + 1 DC max, W
#             3 npsus + 2  AC input mean (all PSUs), W
#             3 npsus + 3  AC min, W     3 npsus + 4  AC max, W
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
set ylabel 'Power (W)'
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
# room under the plot for the key: two columns of 3 entries per PSU and the AC line
set bmargin 4 + 1.4 * ceil((3 * npsus + 1) / 2.0)
set border 3
set tics nomirror out
set xrange [0:*]
set autoscale xfixmax
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0

# column numbers
c_min(k)  = 3 * k - 1
c_mean(k) = 3 * k
c_max(k)  = 3 * k + 1
c_acmean  = 3 * npsus + 2
t(s) = s / real(tscale)
rating(k) = real(word(ratings, k))
psu_colour(k) = word(c_loads, (int(k) - 1) % words(c_loads) + 1)

# the text terminal: no grid (it would draw in characters), a plain key
if (dumb) {
    unset grid
    set key nobox
    set bmargin
}

if (dumb) {
    plot for [k = 1:npsus] $POWER using (t($1)):(column(c_max(k))) with lines \
             title sprintf('psu %s DC highest', word(names, k)), \
         for [k = 1:npsus] $POWER using (t($1)):(column(c_mean(k))) with lines \
             title sprintf('psu %s DC mean', word(names, k)), \
         for [k = 1:npsus] $POWER using (t($1)):(rating(k)) with lines \
             title sprintf('psu %s rating %g W', word(names, k), rating(k)), \
         $POWER using (t($1)):(column(c_acmean)) with lines title 'AC input from the wall (mean)'
} else {
    # the bands first, the lines over them, the ratings last
    plot for [k = 1:npsus] $POWER using (t($1)):(column(c_min(k))):(column(c_max(k))) \
             with filledcurves fs transparent solid 0.3 noborder fc rgb psu_colour(k) \
             title sprintf('psu %s DC output, lowest to highest (spikes included)', word(names, k)), \
         for [k = 1:npsus] $POWER using (t($1)):(column(c_mean(k))) \
             with lines lw 2 lc rgb psu_colour(k) \
             title sprintf('psu %s DC output (mean)', word(names, k)), \
         $POWER using (t($1)):(column(c_acmean)) \
             with lines lw 2 lc rgb c_ac title 'AC input from the wall, all PSUs (mean)', \
         for [k = 1:npsus] $POWER using (t($1)):(rating(k)) \
             with lines lw 2 dt 2 lc rgb psu_colour(k) \
             title sprintf('psu %s rating %g W', word(names, k), rating(k))
}
