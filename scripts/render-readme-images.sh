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
top=$(pdftotext -f 1 -l 1 -bbox "$work"/scale/*.pdf - | awk -F'"' '/>T-score:</ { if (!found) print int($4); found = 1 }')
resolution=144
pdftoppm -r "$resolution" -png -f 1 -l 1 -x $((64 * resolution / 72 - 10)) -y $(((top - 8) * resolution / 72)) -W $((467 * resolution / 72 + 20)) -H $((76 * resolution / 72)) "$work"/scale/*.pdf docs/images/score-scale
mv docs/images/score-scale-1.png docs/images/score-scale.png
# the BMD trend of fixture 27's GP letter (two earlier studies in its priors/), from its heading to the next one
npx dexa render --letter gp --date 2026-11-23 --out "$work/trend" fixtures/27-follow-up-two-priors-woman-68 >/dev/null
letter=$(ls "$work"/trend/2026-*_gp.pdf)
page=$(for n in 1 2 3 4; do pdftotext -f $n -l $n "$letter" - 2>/dev/null | grep -q 'Verloop van de BMD' && { echo $n; break; }; done)
top=$(pdftotext -f "$page" -l "$page" -bbox "$letter" - | awk -F'"' '/>Verloop</ { if (!found) print int($4); found = 1 }')
bottom=$(pdftotext -f "$page" -l "$page" -bbox "$letter" - | awk -F'"' '/>Wervelfractuurbeoordeling</ { if (!found) print int($4); found = 1 }')
pdftoppm -r "$resolution" -png -f "$page" -l "$page" -x $((64 * resolution / 72 - 10)) -y $(((top - 6) * resolution / 72)) -W $((467 * resolution / 72 + 20)) -H $(((bottom - top - 4) * resolution / 72)) "$letter" docs/images/bmd-trend
mv docs/images/bmd-trend-*.png docs/images/bmd-trend.png
echo "wrote docs/images/gp-letter.png, docs/images/patient-letter.png, docs/images/score-scale.png and docs/images/bmd-trend.png"
