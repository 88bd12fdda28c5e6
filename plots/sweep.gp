# sweep.gp — a what-if sweep: how the verdict figures move with one parameter, or
# a filled map over two with the pass/fail boundary drawn in.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title   string  the scenario file
#     heading string  what the plot shows (the title's first line)
#     key1    string  the swept address, e.g. 'gpu.rtx5090.power_limit'
#     unit1   string  its SI unit ('W', 'A', ... or '')
#     two     number  1 when a second parameter is swept
#     key2    string  the second address ('' when two = 0)
#     unit2   string  its unit
#     n1, n2  number  values on each axis (n2 = 1 when two = 0)
#     values1 string  the first axis's values in SI, space-separated
#     values2 string  the second axis's ('' when two = 0)
#
#   Datablock $SWEEP, one row per point:
#     two = 0: 1 x  2 most-used link (% of its limit)  3 breaker heat %  4 verdict
#     two = 1: 1 i  2 j (the point's indices on the axes, from 0)
#              3 most-used link %  4 verdict
#   verdict: 0 pass, 1 marginal, 2 fail, -1 not judged.
#   Datablock $EDGE (two = 1): the pass/fail boundary, cell edges in index
#   coordinates, two points each, blank-line separated ('NaN NaN': none).
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
c_grid  = '#c8c8c8'
# ---------------------------------------------------------------------------

dumb = GPVAL_TERM eq 'dumb'
set title heading . "\n" . title font ',13'
set grid lc rgb c_grid
set key outside bottom center horizontal box
set bmargin 7
lab1 = unit1 eq '' ? key1 : sprintf('%s (%s)', key1, unit1)
set xlabel lab1
verdict_word(v) = v == 2 ? 'FAIL' : v == 1 ? 'MARGINAL' : v == 0 ? 'PASS' : 'n/a'

if (two == 0) {
    set ylabel 'share of the limit (%)'
    set yrange [0:*]
    # 100 %: the most used link is at its limit; 90 %: MARGINAL starts
    set arrow 1 from graph 0, first 100 to graph 1, first 100 nohead dt 2 lc rgb c_limit
    set arrow 2 from graph 0, first 90 to graph 1, first 90 nohead dt 3 lc rgb c_warn
    plot $SWEEP using 1:2 with linespoints lw 2 pt 7 lc rgb c_ac title 'most-used link (% of its limit)', \
         $SWEEP using 1:3 with linespoints lw 2 pt 5 lc rgb c_heat title 'breaker heat (% of trip)', \
         $SWEEP using 1:($4 == 2 ? $2 : 1/0) with points pt 6 ps 2.5 lc rgb c_limit title 'FAIL', \
         NaN with lines dt 2 lc rgb c_limit title 'limit (100 %)', \
         NaN with lines dt 3 lc rgb c_warn title 'MARGINAL from 90 %'
} else {
    lab2 = unit2 eq '' ? key2 : sprintf('%s (%s)', key2, unit2)
    set ylabel lab2
    # one cell per point, the tics labelled with the values and their units
    tic1(i) = unit1 eq '' ? word(values1, i + 1) : sprintf('%g %s', real(word(values1, i + 1)), unit1)
    tic2(j) = unit2 eq '' ? word(values2, j + 1) : sprintf('%g %s', real(word(values2, j + 1)), unit2)
    set xtics () nomirror
    set ytics () nomirror
    do for [i = 0:n1 - 1] { set xtics add (tic1(i) i) }
    do for [j = 0:n2 - 1] { set ytics add (tic2(j) j) }
    if (n1 > 12) { set xtics rotate by 45 right }
    set xrange [-0.5:n1 - 0.5]
    set yrange [-0.5:n2 - 0.5]
    unset grid
    set cblabel 'most-used link (% of its limit)'
    set cbrange [0:150]
    set palette defined (0 '#2ca02c', 90 '#ffdd57', 100 '#ff7f0e', 150 '#d62728')
    if (dumb) {
        plot $SWEEP using 1:2:(verdict_word($4)) with labels title 'verdict at each point', \
             $EDGE using 1:2 with lines title 'pass/fail boundary'
    } else {
        plot $SWEEP using 1:2:3 with image notitle, \
             $EDGE using 1:2 with lines lw 4 lc rgb c_limit title 'pass/fail boundary (FAIL on one side)', \
             $SWEEP using 1:2:(sprintf('%s %.0f %%', verdict_word($4), $3)) with labels font ',9' notitle
    }
}
