#!/usr/bin/env bash
# The Debian packages the tests drive for real, installed when missing (as root, with apt-get; `npm test` and
# .ci/run both call this), else named with the command that installs them. Nothing is downloaded otherwise:
# playwright-core, for one, cannot fetch a browser of its own here.
set -euo pipefail
missing=()
# The TLS and private-CA tests make their certificates with openssl; the pseudo-terminal test needs util-linux's script.
command -v openssl >/dev/null || missing+=(openssl)
command -v script >/dev/null || missing+=(util-linux)
# The deploy tests lint run-sharded.sh with shellcheck.
command -v shellcheck >/dev/null || missing+=(shellcheck)
# The browser test opens the HTML report in Debian's Chromium (test/helpers/browser.ts: /usr/bin/chromium).
command -v chromium >/dev/null || missing+=(chromium)
# The live-metrics tests check the /metrics text with promtool and scrape a real run with Prometheus; the package's
# service is not started in a container without systemd.
command -v promtool >/dev/null || missing+=(prometheus)
# The network tests start their own tinyproxy (a real forward proxy, with its own config and log) on 127.0.0.1.
command -v tinyproxy >/dev/null || missing+=(tinyproxy)
# The real-server freshness test streams from ffmpeg (-f mpjpeg -listen 1) and from ustreamer (no capture device:
# its NO SIGNAL picture, stamped with X-Timestamp).
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v ustreamer >/dev/null || missing+=(ustreamer)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the Debian packages the tests use: ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
