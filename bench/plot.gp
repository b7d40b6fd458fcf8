# gnuplot -e "results='bench/results'" bench/plot.gp
#
# Draws bench/results/bench.png from what bench/run wrote there: on the
# left, documents per second of each peer on the mixed corpus (log scale:
# the peers span three orders of magnitude); on the right, the ReDoS probe,
# seconds per match of "a" + k hyphens + "!" against k, one line per engine
# (a line stops where its engine crashed or ran out of time; its title says
# which and where).
if (!exists("results")) results = "bench/results"

set terminal pngcairo size 1500,600 font "DejaVu Sans,10"
set output results."/bench.png"
set multiplot layout 1,2

set title "Throughput on the mixed corpus (higher is better)"
set style fill solid 0.8 border -1
set boxwidth 0.6
set logscale y
set ylabel "documents per second"
set yrange [10:*]
set xtics rotate by -30 left nomirror
set grid ytics
unset key
plot results."/throughput.dat" using 0:2:xtic(1) with boxes lc rgb "#4477aa", \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.8 font ",9"

set title "ReDoS probe: PipelineName = \"a\" + k \"-\" + \"!\""
set logscale xy
set xlabel "k (hyphens)"
set ylabel "seconds per match (CPU)"
set yrange [1e-10:100]
set xtics norotate
set format x "10^{%L}"
set format y "10^{%L}"
set key bottom right box opaque font ",8" spacing 1.1
plot for [i=0:*] results."/redos.dat" index i using 1:2 with linespoints lw 2 pt 7 ps 0.8 title columnheader(1) noenhanced

unset multiplot
