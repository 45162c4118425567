-- wrk script for benches/serve-load.sh: rotates through the requests a person's session
-- makes (typed searches, facet clicks, sorted and paged results, a reader view, the API).
-- Counts every non-200 answer as an error and prints latency percentiles.
local paths = {
  "/api/search?q=rare+earth+Mongolia",
  "/results?q=rare+earth+Mongolia&region=Asia-Pacific",
  "/?q=china+export+controls&sort=newest",
  "/api/search?q=pipeline&region=Russia+%26+Eurasia&since=2020",
  "/results?q=oil&category=News&offset=10",
  "/api/search?q=%22rare+earth%22+-China&limit=50",
  "/?q=",
  "/api/health",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "requests %d in %.1f s (%.0f/s); socket errors: connect %d, read %d, write %d, timeout %d; non-200: %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
