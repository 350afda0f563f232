#!/bin/sh
# Regenerates the numpy-reader golden in this directory: Go writes the
# model file (model.nerve) and the raw input (input.csv), then the numpy
# reader writes its predictions (want.csv). Run from anywhere:
#
#	sh model/testdata/reader/gen.sh
set -eu
cd "$(dirname "$0")/../../.."
go test ./nn/ -run '^TestReaderGolden$' -update -count=1
/usr/bin/python3 model/testdata/read_model.py model/testdata/reader/model.nerve model/testdata/reader/input.csv >model/testdata/reader/want.csv
go test ./nn/ -run '^TestReader' -count=1
