-- wrk script for `integra serve`: GET /api/search for each query of a file in turn, each
-- REPEAT times in a row (10: as the search bench runs them), and the median and 95th
-- percentile latency at the end.
--   wrk -t2 -c16 -d30s -s benches/serve.lua http://127.0.0.1:7700 -- ../shared/bench/queries-de.txt 10
local queries = {}
local next_query = 1
local repeat_count = 1
local sent = 0

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local file = assert(io.open(args[1] or "../shared/bench/queries-de.txt"))
  for line in file:lines() do
    if line:match("%S") and not line:match("^#") then
      queries[#queries + 1] = "/api/search?q=" .. encode(line)
    end
  end
  file:close()
  repeat_count = tonumber(args[2] or "1")
end

function request()
  local path = queries[next_query]
  sent = sent + 1
  if sent % repeat_count == 0 then
    next_query = next_query % #queries + 1
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (status/other) %d/%d\n", summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
