-- A read scenario: each request sends the document with one variable drawn at random from a file.
--   wrk -s read.lua URL -- DOCUMENT TOKEN_FILE IDS_FILE VARIABLE [LIST_LENGTH]
-- With LIST_LENGTH, the variable is a list of that many random ids (bulk eligibility).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require "common"

local prefix, headers, ids, variable, length

function setup(thread) common.setup(thread) end

function init(args)
  prefix = common.body_prefix(common.read_file(args[1]))
  headers = common.headers((common.read_file(args[2]):gsub("%s+$", "")))
  ids = common.read_lines(args[3])
  variable = args[4]
  length = tonumber(args[5] or "0")
  common.seed_random()
end

local function pick() return '"' .. ids[math.random(#ids)] .. '"' end

function request()
  local value
  if length > 0 then
    local list = {}
    for i = 1, length do list[i] = pick() end
    value = "[" .. table.concat(list, ",") .. "]"
  else
    value = pick()
  end
  return wrk.format("POST", "/graphql", headers, prefix .. '{"' .. variable .. '":' .. value .. "}}")
end

function response(status, _, body) common.count(status, body) end

done = common.done
