-- A citizen scenario: each request sends the document, without variables, with a token drawn at
-- random from a file of citizens' tokens (one per line): each citizen reads their own data.
--   wrk -s citizen.lua URL -- DOCUMENT TOKENS_FILE
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require "common"

local body, tokens

function setup(thread) common.setup(thread) end

function init(args)
  body = common.body_prefix(common.read_file(args[1])) .. "{}}"
  tokens = common.read_lines(args[2])
  common.seed_random()
end

function request()
  return wrk.format("POST", "/graphql", common.headers(tokens[math.random(#tokens)]), body)
end

function response(status, _, body) common.count(status, body) end

done = common.done
