#!/bin/sh
# Turn files into a C table (name, bytes, length) so the binary carries its
# default rules and web UI. Usage: embed.sh FILE... > embedded.c
set -eu
echo '#include "embedded.h"'
i=0
for f in "$@"; do
    printf 'static const unsigned char file_%d[] = {' "$i"
    od -An -v -tx1 "$f" | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' | tr -d '\n '
    echo '0x00};'
    i=$((i + 1))
done
echo 'const struct embedded_file embedded_files[] = {'
i=0
for f in "$@"; do
    size=$(wc -c < "$f" | tr -d ' ')
    printf '    {"%s", file_%d, %s},\n' "$f" "$i" "$size"
    i=$((i + 1))
done
echo '    {0, 0, 0},'
echo '};'
