-- Shared by the wrk scripts of the load benchmarks: files, JSON text, GraphQL request bodies,
-- per-thread counters of non-2xx responses and GraphQL errors, and the JSON summary printed by
-- done() on one line that starts with "RESULT ".
local M = {}

function M.read_file(path)
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  local text = f:read("*a")
  f:close()
  return text
end

function M.read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  assert(#lines > 0, "no lines in " .. path)
  return lines
end

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

function M.json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

-- Everything of a GraphQL POST body but the variables: '{"operationName":…,"query":…,"variables":'
function M.body_prefix(document)
  local name = document:match("^%s*%a+%s+([_%a][_%w]*)")
  assert(name, "the document needs an operation name")
  return '{"operationName":' .. M.json_string(name) .. ',"query":' .. M.json_string(document)
    .. ',"variables":'
end

function M.headers(token)
  return {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
end

-- Per-thread state; `setup` runs in the main Lua state, the others in each thread's.
local threads = {}

function M.setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

non2xx, graphql_errors, extra = 0, 0, 0

function M.count(status, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if body and body:find('"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function M.seed_random()
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  for _ = 1, 10 do math.random() end
end

function M.done(summary, latency, requests)
  local totals = { non2xx = 0, graphql_errors = 0, extra = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(totals) do totals[key] = totals[key] + (thread:get(key) or 0) end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local out = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_s":%.3f', seconds),
    string.format('"rps":%.2f', summary.requests / seconds),
    string.format('"p50_ms":%.3f', latency:percentile(50) / 1000),
    string.format('"p95_ms":%.3f', latency:percentile(95) / 1000),
    string.format('"p99_ms":%.3f', latency:percentile(99) / 1000),
    string.format('"max_ms":%.3f', latency.max / 1000),
    string.format('"non2xx":%d', totals.non2xx),
    string.format('"graphql_errors":%d', totals.graphql_errors),
    string.format('"extra":%d', totals.extra),
    string.format('"socket_errors":%d', e.connect + e.read + e.write + e.timeout),
  }
  io.write("RESULT {" .. table.concat(out, ",") .. "}\n")
end

return M
