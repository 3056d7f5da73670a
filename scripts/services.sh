#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis servers the test suite uses are up; start them if not.
# Usage: scripts/services.sh [postgres] [redis]
# Without arguments: whatever DATABASE_URL and REDIS_URL point at on this machine (if anything).
set -euo pipefail

if [ $# -gt 0 ]; then
  want="$*"
else
  want=""
  case "${DATABASE_URL:-}" in postgres*://*@127.0.0.1*|postgres*://*@localhost*) want="postgres";; esac
  case "${REDIS_URL:-}" in redis://127.0.0.1*|redis://localhost*) want="$want redis";; esac
  [ -n "$want" ] || exit 0
fi

if [[ " $want " == *" postgres "* ]]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='oidc_claims'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE oidc_claims" >/dev/null
fi

if [[ " $want " == *" redis "* ]]; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping
fi
