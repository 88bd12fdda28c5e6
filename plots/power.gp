# power.gp — power over time: the DC loads stacked, the AC input of the PSUs.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title       string  scenario name
#     nloads      number  number of loads
#     names       string  the load names, space-separated (safe words)
#     psu_rating  number  PSU rating, W (0 if several PSUs)
#     tscale      number  seconds per x unit: 1 or 60
#     tunit       string  the x unit: 's' or 'min'
#
#   Datablocks
#     $POWER  1 t_s
#             2 .. nloads+1  cumulative DC load power, W (mean over each sample;
#                            column k+1 = loads 1..k stacked)
#             nloads+2  total DC min, W     nloads+3  total DC max, W
#             nloads+4  AC input mean (all PSUs), W
#             nloads+5  AC min, W           nloads+6  AC max, W
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

set title title font ',14'
set xlabel sprintf('Time (%s)', tunit)
set ylabel 'Power (W)'
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside right top vertical Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set border 3
set tics nomirror out
set xrange [0:*]
set autoscale xfixmax
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0

# column numbers of the totals
c_dcmin  = nloads + 2
c_dcmax  = nloads + 3
c_acmean = nloads + 4
c_acmin  = nloads + 5
c_acmax  = nloads + 6
t(s) = s / real(tscale)
rating_y = psu_rating > 0 ? psu_rating : NaN
rating_title = psu_rating > 0 ? sprintf('PSU rating %g W', psu_rating) : ''

# the text terminal: no grid (it would draw in characters), no right-axis
# label (no room), a plain key
if (dumb) {
    unset grid
    unset y2label
    set key nobox
    set bmargin
}

if (dumb) {
    plot for [k = nloads:1:-1] $POWER using (t($1)):(column(k + 1)) \
             with lines title word(names, k), \
         $POWER using (t($1)):(column(c_dcmax)) with lines title 'DC max (spikes)', \
         $POWER using (t($1)):(column(c_acmean)) with lines title 'AC input (mean)', \
         $POWER using (t($1)):(rating_y) with lines title rating_title
} else {
    # the bands first, so that the loads (opaque) cover the part of them inside
    # the stack and what shows above it are the spikes; then the loads from the
    # top of the stack down (the key lists them in stacking order); the lines last
    plot $POWER using (t($1)):(column(c_dcmin)):(column(c_dcmax)) \
             with filledcurves fs solid 0.35 noborder fc rgb c_dc \
             title 'DC min/max (spikes)', \
         $POWER using (t($1)):(column(c_acmin)):(column(c_acmax)) \
             with filledcurves fs transparent solid 0.25 noborder fc rgb c_ac \
             title 'AC input min/max', \
         for [k = nloads:1:-1] $POWER \
             using (t($1)):(k == 1 ? 0 : column(k)):(column(k + 1)) \
             with filledcurves fs solid 0.75 noborder fc rgb load_colour(k) \
             title word(names, k), \
         $POWER using (t($1)):(column(c_acmean)) \
             with lines lw 2 lc rgb c_ac title 'AC input (mean)', \
         $POWER using (t($1)):(rating_y) \
             with lines lw 2 dt 2 lc rgb c_limit title rating_title
}
