#!/usr/bin/env bash
# Runs the bundled model's tools (train, eval, bench, sheet, png) from the repository root, offline.
# Usage: model-tools/model.sh train --seed 7 | eval | bench --markdown docs/benchmarks.md | sheet | png
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=model-tools/target/model-classpath.txt
# compile the tools and their reactor dependencies, and record the runtime classpath
mvn -q -o -pl model-tools -am compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$cp_file.\${project.artifactId}" -Dmdep.includeScope=runtime >&2
cp "$cp_file.turbofarm-model-tools" "$cp_file"
# one intra-op thread: on a shared 2-core machine two OpenMP threads stall on each other
threads="${TORCH_THREADS:-1}"
exec java -Xmx6g -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "model-tools/target/classes:$(cat "$cp_file")" dev.turbofarm.model.tools.ModelCli "$@"
