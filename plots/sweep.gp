# sweep.gp — a what-if sweep: how the verdict figures move with one parameter, or
# a map of the pass/fail boundary over two.
#
# psusim sends, before this script, the terminal and output and:
#
#   Variables
#     title   string  scenario name
#     key1    string  the swept address, e.g. 'gpu.rtx5090.power_limit'
#     unit1   string  its SI unit ('W', 'A', ... or '')
#     two     number  1 when a second parameter is swept
#     key2    string  the second address ('' when two = 0)
#     unit2   string  its unit
#
#   Datablock $SWEEP, one row per point:
#     two = 0: 1 x  2 most-used link (% of its limit)  3 breaker heat %  4 verdict
#     two = 1: 1 x  2 y  3 most-used link %  4 verdict
#   verdict: 0 pass, 1 marginal, 2 fail.
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
set title title offset 0,0.5
set grid lc rgb c_grid
set key outside bottom center horizontal box
set bmargin 7
lab1 = unit1 eq '' ? key1 : sprintf('%s (%s)', key1, unit1)
set xlabel lab1

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
    set cblabel 'most-used link (% of its limit)'
    set cbrange [0:150]
    set palette defined (0 '#2ca02c', 90 '#ffdd57', 100 '#ff7f0e', 150 '#d62728')
    # room around the grid so the squares and their labels sit inside the frame
    set offsets graph 0.06, graph 0.06, graph 0.12, graph 0.08
    if (dumb) {
        plot $SWEEP using 1:2:(sprintf('%d', $4)) with labels title 'verdict (0 pass, 1 marginal, 2 fail)'
    } else {
        plot $SWEEP using 1:2:3 with points pt 5 ps 4 lc palette title 'most-used link', \
             $SWEEP using 1:2:($4 == 2 ? 'FAIL' : $4 == 1 ? 'marg.' : 'pass') with labels offset 0,1.8 font ',9' notitle
    }
}
