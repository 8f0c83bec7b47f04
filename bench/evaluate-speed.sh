#!/usr/bin/env bash
# Speed of the whole `./caption4j evaluate` process (JVM start included) on the 5,000-image leave-one-out vector:
# wall time and peak RSS of each run, as /usr/bin/time -v reports them. Usage: bench/evaluate-speed.sh [runs]
# pycocoevalcap's figure on the same vector and machine (BLEU + ROUGE-L + CIDEr with tokenisation): 3.4 s, 172 MB.
# JVM options go through the launcher's CAPTION4J_JAVA_OPTS, e.g. CAPTION4J_JAVA_OPTS="-Xmx8g -XX:TieredStopAtLevel=1".
# The machine is shared: the load average is printed before and after, and user+sys CPU is shown as well as wall.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${CAPTION4J_EVALDATA:-$root/../shared/data/coco-caption-eval}"
runs="${1:-5}"
refs="$data/references_leave_one_out.json"
results="$data/candidates_leave_one_out.json"
"$root/caption4j" evaluate --references "$refs" --results "$results" > /dev/null # builds the jar if needed; warms the page cache
echo "java options: ${CAPTION4J_JAVA_OPTS:-launcher default}"
echo "machine: $(nproc) cores, $(uname -m); load average before: $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1)"
echo "run  wall_s  user_s  sys_s  max_rss_MB"
for i in $(seq 1 "$runs"); do
  log="$(mktemp)"
  /usr/bin/time -v "$root/caption4j" evaluate --references "$refs" --results "$results" > /dev/null 2> "$log"
  awk -v run="$i" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]) }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 / 1024 }
    END { printf "%3d  %6.2f  %6.2f  %5.2f  %10.0f\n", run, wall, user, sys, rss }' "$log"
  rm -f "$log"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
