#!/usr/bin/env bash
# Builds TensorFlow Playground from its source into target/playground/dist, for
# benches/playground.mjs (its own npm scripts: browserify + tsify, uglify-js).
#
#   PLAYGROUND_SRC=/path/to/playground bash benches/build_playground.sh
#
# PLAYGROUND_SRC is a git checkout of https://github.com/tensorflow/playground; without it
# the script clones it. Either way it builds the commit measured in the README.
set -euo pipefail
commit=02469bd3751764b20486015d4202b792af5362a6
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/target/playground"
src="${PLAYGROUND_SRC:-$root/target/playground-src}"
if [ ! -e "$src" ]; then
  git clone --quiet https://github.com/tensorflow/playground "$src"
fi
rm -rf "$out" && mkdir -p "$out"
git -C "$src" archive "$commit" | tar -x -C "$out"
cd "$out"
npm ci --no-audit --no-fund --loglevel=error
mkdir -p dist
npm run --silent build
echo "TensorFlow Playground ($commit) built in $out/dist"
