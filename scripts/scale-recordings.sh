# Sourced by scripts/scale.sh (its variables and helpers: dir, net_tag, pbxs, pbx_name, pid_alive, die).
# Recordings on S3 (a private Swift with s3api, scripts/swift.sh), no disk shared between machines:
# a shipper beside each Asterisk sends its MixMonitor files to the servers (docs/scale-recordings.md).
swift_env() { SWIFT_INSTANCE="scale-$net_tag" SWIFT_RUNTIME_BASE="$dir/swift" "$@"; }
s3_bucket=caller-recordings

s3_up() {
  local facts url env_file headers storage token
  # 9>&-: its daemons must not keep the lock up() holds.
  facts=$(swift_env bash scripts/swift.sh up 9>&-) || die "Swift did not start: $dir/swift"
  url=$(sed -n 's/^SWIFT_S3_URL=//p' <<<"$facts")
  env_file=$(sed -n 's/^SWIFT_ENV_FILE=//p' <<<"$facts")
  echo "$url" >"$dir/swift/s3-url"
  # The servers' keys, 0600 (never on a command line).
  (umask 077; sed -n 's/^SWIFT_S3_/CALLER_S3_/p' "$env_file" >"$dir/secrets/s3")
  # The bucket is a Swift container, made through Swift's own API (tempauth); the key goes in a header file.
  headers="$dir/secrets/swift-auth"
  (umask 077; printf 'X-Auth-User: test:tester\nX-Auth-Key: %s\n' "$(sed -n 's/^SWIFT_S3_SECRET_ACCESS_KEY=//p' "$env_file")" >"$headers")
  local reply
  reply=$(curl -fsS -D - -o /dev/null -H @"$headers" "$url/auth/v1.0") || die "Swift refused its own key"
  token=$(awk -F': ' 'tolower($1) == "x-auth-token" {print $2}' <<<"$reply" | tr -d '\r')
  storage=$(awk -F': ' 'tolower($1) == "x-storage-url" {print $2}' <<<"$reply" | tr -d '\r')
  (umask 077; printf 'X-Auth-Token: %s\n' "$token" >"$headers")
  curl -fsS -o /dev/null -X PUT -H @"$headers" "$storage/$s3_bucket" || die "could not make the bucket $s3_bucket"
  rm -f "$headers"
}

shippers_up() {
  local i name
  for ((i = 1; i <= pbxs; i++)); do
    name=$(pbx_name "$i")
    pid_alive "$dir/shippers/$i.pid" recording-shipper && continue
    # As on the Asterisk's own host: its pbx.env (0600), the servers through HAProxy's PBX door.
    CALLER_LOG_LEVEL="${CALLER_LOG_LEVEL:-warn}" setsid node dist/server/recording-shipper.mjs --pbx-env "$dir/pbx/$name.out" \
      --server "http://$lb_pbx_addr:$lb_http_port" --sweep-seconds 10 </dev/null >"$dir/shippers/$i.log" 2>&1 9>&- &
    echo $! >"$dir/shippers/$i.pid"
  done
}

