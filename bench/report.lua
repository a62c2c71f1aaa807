-- wrk -s bench/report.lua: when the run ends, print one line `BENCH {json}` for bench/run.py.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %d, \"seconds\": %.3f, \"rps\": %.2f, \"p50_ms\": %.3f, "
      .. "\"p95_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"bytes\": %d, "
      .. "\"errors\": {\"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, "
      .. "\"timeout\": %d}}\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
