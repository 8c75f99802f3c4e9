#!/bin/sh
# A worker that does "work" every $WORK_INTERVAL seconds and stops cleanly on SIGTERM.
trap 'echo "stopping after $n jobs"; exit 0' TERM
n=0
while :; do
    n=$((n + 1))
    echo "processed job $n ($PS)"
    sleep "${WORK_INTERVAL:-2}" &
    wait $!
done
