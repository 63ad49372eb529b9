-- wrk script for bench/intake.py: POST the pre-generated appeal bodies in turn.
-- Each thread takes every LD_THREADS-th body, so no body is sent twice until the file is used up.
-- With LD_RATE (appeals/s in all) each of the LD_CONNECTIONS connections pauses between requests for an
-- exponentially distributed time with mean connections/rate: together about a Poisson stream at that rate
-- while the server keeps up (the pause cannot shorten when it does not; there is no wrk2 in Debian).
-- Env: LD_THREADS (wrk -t), LD_BODIES (file, one JSON body per line), LD_TOKEN (bearer token), LD_OUT (summary file).
local bodies = {}
local counter = 0
local threads = {}
statuses = {}

function setup(thread)
  thread:set("id", counter)
  threads[#threads + 1] = thread
  counter = counter + 1
end

function init(args)
  for line in io.lines(os.getenv("LD_BODIES")) do
    bodies[#bodies + 1] = line
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("LD_TOKEN")
  index = id
  math.randomseed(1000 + id)
  step = tonumber(os.getenv("LD_THREADS") or "1")
end

local rate = tonumber(os.getenv("LD_RATE") or "0")
local gap_ms = rate > 0 and 1000 * tonumber(os.getenv("LD_CONNECTIONS") or "1") / rate or 0

if gap_ms > 0 then
  function delay()
    return -math.log(1 - math.random()) * gap_ms
  end
end

function request()
  local body = bodies[(index % #bodies) + 1]
  index = index + step
  return wrk.format(nil, "/api/v1/appeals", nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local f = io.open(os.getenv("LD_OUT"), "w")
  f:write(string.format("requests %d\nduration_us %d\nerrors_status %d\nerrors_connect %d\nerrors_timeout %d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    f:write(string.format("p%s_us %d\n", p, latency:percentile(p)))
  end
  f:write(string.format("max_us %d\n", latency.max))
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      f:write(string.format("status_%d %d\n", status, n))
    end
  end
  f:close()
end
