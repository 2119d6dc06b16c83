#!/usr/bin/env bash
# Regenerates tests/fixtures/tones: a 1.0 s 440 Hz tone at -12 dBFS peak
# (amplitude 0.25) in every format loa plays. Needs sox and ffmpeg; the
# output is committed, so the tests do not.
set -euo pipefail
cd "$(dirname "$0")/../tests/fixtures/tones"
sox -n -r 44100 -c 1 -b 16 tone.wav synth 1.0 sine 440 vol 0.25
sox tone.wav -C 5 tone.ogg
sox tone.wav -C 5 tone.flac
ffmpeg -loglevel error -y -i tone.wav -c:a libmp3lame -b:a 64k tone.mp3
ffmpeg -loglevel error -y -i tone.wav -c:a aac -b:a 64k tone.m4a
ls -l
