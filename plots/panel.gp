# panel.gp — a panel's lines and neutral over time: the current on each line
# (L1, L2, L3: the sum of its circuits'; a 240 V / 400 V circuit on both of its
# lines) and on the neutral, against the main's rating and the continuous limit.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     heading         string  what the plot shows (the title's first line)
#     title           string  scenario name
#     name            string  panel name
#     system          string  e.g. 'three-phase, 230 V line to neutral'
#     curve           string  the main's curve, e.g. 'IEC 60269-1 gG fuse (fast edge)'
#     lines           number  1, 2 or 3
#     neutral         number  1: the neutral's columns are drawn (split-, three-phase)
#     rating          number  the main's rating per line, A
#     cont_limit      number  the continuous limit, A
#     neutral_rating  number  the neutral's rating, A
#     trip_time       number  when a line's main opened first, s (-1: never)
#     trip_line       number  which line (1..3; 0: none)
#     tscale          number  seconds per x unit: 1 or 60
#     tunit           string  the x unit: 's' or 'min'
#
#   Datablocks
#     $CUR  1 t_s, then per line L1, L2, L3 and the neutral (N) three columns:
#           mean, min, max (A RMS): L1 2-4, L2 5-7, L3 8-10, N 11-13
#           (the columns of lines the panel does not have are 0)
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
# the lines in the conductor colours of IEC 60445 (L1 brown, L2 black, L3 grey,
# N blue), L2 a dark grey to stay apart from the black rating line
c_line  = '#8c564b #4d4d4d #9a9a9a'
c_n     = '#1f77b4'
line_colour(k) = word(c_line, k)

dumb = GPVAL_TERM eq 'dumb'   # text terminal: no shading, lines instead

set title heading . "\n" . title font ',13'
set xlabel sprintf('Time (%s)', tunit)
set ylabel sprintf('Current on panel %s (A RMS)', name)
set grid xtics ytics lt 1 lc rgb c_grid lw 1
set key outside bottom center horizontal Left reverse spacing 1.2 samplen 3 box lc rgb c_grid
set tics out
set bmargin 7
set xrange [0:*]
set autoscale xfixmax
# the y axis up to a fifth above the main's rating, or above the highest mean
# when a line's mean goes beyond: an inrush's peaks (tens of amps for a few
# milliseconds) would squash the rest; the min/max bands are cut at the top
stats $CUR using 2 nooutput
top = STATS_max
do for [k = 2:4] {
    stats $CUR using (column(2 + 3 * (k - 1))) nooutput
    top = STATS_max > top ? STATS_max : top
}
ymax = top * 1.1 > rating * 1.2 ? top * 1.1 : rating * 1.2
set yrange [0:ymax]
set offsets 0, graph 0.02, graph 0.08, 0
set label 3 sprintf('%s; main %s', system, curve) at graph 0.01, graph 0.97 \
    left front tc rgb c_dc

t(s) = s / real(tscale)

if (trip_time >= 0) {
    tt = t(trip_time)
    set arrow 2 from first tt, graph 0 to first tt, graph 1 nohead lw 2 lc rgb c_ac front
    set label 2 sprintf('L%d main opens at %.4g %s ', trip_line, tt, tunit) \
        at first tt, graph 0.90 right front tc rgb c_ac
}

if (dumb) {
    unset grid
    set key nobox
    set bmargin
    unset label 3
}

col(k, j) = 2 + 3 * (k - 1) + j    # line k (1..3; 4: N), j 0 mean, 1 min, 2 max

if (dumb) {
    plot for [k = 1:lines] $CUR using (t($1)):(column(col(k, 0))) with lines \
             title sprintf('L%d mean', k), \
         for [k = 4:(neutral ? 4 : 3)] $CUR using (t($1)):(column(col(k, 0))) with lines \
             title 'N mean', \
         $CUR using (t($1)):(rating) with lines title sprintf('main %g A', rating)
} else {
    plot for [k = 1:lines] $CUR using (t($1)):(column(col(k, 1))):(column(col(k, 2))) \
             with filledcurves fs transparent solid 0.18 noborder \
             fc rgb line_colour(k) notitle, \
         for [k = 1:lines] $CUR using (t($1)):(column(col(k, 0))) with lines lw 2 \
             lc rgb line_colour(k) title sprintf('L%d (mean; band: min/max)', k), \
         for [k = 4:(neutral ? 4 : 3)] $CUR using (t($1)):(column(col(k, 0))) \
             with lines lw 2 dt 4 lc rgb c_n title 'neutral (mean)', \
         $CUR using (t($1)):(rating) with lines lw 2 dt 2 lc rgb c_limit \
             title sprintf('main %g A per line', rating), \
         $CUR using (t($1)):(cont_limit) with lines lw 2 dt 2 lc rgb c_warn \
             title sprintf('continuous limit %g A', cont_limit)
}
