#!/usr/bin/env bash
# Renders the letter pictures in the README from fixture studies.
# Needs pdftoppm (Debian: apt-get install poppler-utils); not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npx dexa render --letter gp --date 2026-11-23 --out "$work/gp" fixtures/10-dual-hip-one-side-low-woman-69 >/dev/null
npx dexa render --letter patient --date 2026-11-23 --out "$work/patient" fixtures/18-vfa-crush-man-79 >/dev/null
pdftoppm -r 80 -png -f 1 -l 1 "$work"/gp/*.pdf docs/images/gp-letter
pdftoppm -r 80 -png -f 1 -l 1 "$work"/patient/*.pdf docs/images/patient-letter
mv docs/images/gp-letter-1.png docs/images/gp-letter.png
mv docs/images/patient-letter-1.png docs/images/patient-letter.png
# the score scale of fixture 02's patient letter, cut from the page where its marker's words begin
npx dexa render --letter patient --date 2026-11-23 --out "$work/scale" fixtures/02-osteopenia-woman-58 >/dev/null
top=$(pdftotext -f 1 -l 1 -bbox "$work"/scale/*.pdf - | awk -F'"' '/>T-score:</ { print int($4); exit }')
resolution=144
pdftoppm -r "$resolution" -png -f 1 -l 1 -x $((64 * resolution / 72 - 10)) -y $(((top - 8) * resolution / 72)) -W $((467 * resolution / 72 + 20)) -H $((76 * resolution / 72)) "$work"/scale/*.pdf docs/images/score-scale
mv docs/images/score-scale-1.png docs/images/score-scale.png
echo "wrote docs/images/gp-letter.png, docs/images/patient-letter.png and docs/images/score-scale.png"
