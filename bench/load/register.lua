-- Registration: a registrar registers a head of household (adult, fresh CIN), a child, then the
-- household with its declaration. Each wrk request is one of the three mutations; a thread keeps
-- the persons it registered until it has a head and a child to declare together.
--   wrk -s register.lua URL -- PERSON_DOCUMENT HOUSEHOLD_DOCUMENT TOKEN_FILE PROVINCE CIN_PREFIXES
-- CIN_PREFIXES: comma-separated two-letter prefixes unused in the database, one per thread; a
-- thread numbers its CINs from PREFIX000000. `extra` in the summary counts households registered.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require "common"

local head_prefix, child_prefix, household_prefix, headers, province, cin_prefix
local heads, children = {}, {}
local pending_heads, pending_children, cin_counter = 0, 0, 0

local DECLARATION = '{"headEducation":"PRIMARY","headOccupation":"WORKER","housingType":"APARTMENT",'
  .. '"occupancy":"TENANT","rooms":2,"waterSource":"PIPED","electricityMonthly":120,'
  .. '"waterMonthly":60,"phoneMonthly":100,"butaneBottlesMonthly":2,'
  .. '"assets":["REFRIGERATOR","TELEVISION"]}'

function setup(thread) common.setup(thread) end

function init(args)
  local person = common.read_file(args[1])
  head_prefix = common.body_prefix((person:gsub("registerPerson%(", "head: registerPerson(", 1)))
  child_prefix = common.body_prefix((person:gsub("registerPerson%(", "child: registerPerson(", 1)))
  household_prefix = common.body_prefix(common.read_file(args[2]))
  headers = common.headers((common.read_file(args[3]):gsub("%s+$", "")))
  province = args[4]
  local prefixes = {}
  for p in args[5]:gmatch("[A-Z][A-Z]") do prefixes[#prefixes + 1] = p end
  cin_prefix = assert(prefixes[thread_id + 1], "one CIN prefix per thread")
  common.seed_random()
end

local function birth_date(from_year, to_year)
  return string.format("%04d-%02d-%02d", math.random(from_year, to_year), math.random(1, 12),
                       math.random(1, 28))
end

local CONSONANTS, VOWELS = "bdfhjklmnrstz", "aeiou"

-- Eight letters, consonant and vowel in turn: 13^4 * 5^4 spellings, unlike any register name.
local function made_up_name()
  local letters = {}
  for i = 1, 8 do
    local pool = (i % 2 == 1) and CONSONANTS or VOWELS
    local k = math.random(1, #pool)
    letters[i] = pool:sub(k, k)
  end
  letters[1] = letters[1]:upper()
  return table.concat(letters)
end

local function post(body) return wrk.format("POST", "/graphql", headers, body) end

function request()
  if #heads > 0 and #children > 0 then
    local head, child = table.remove(heads), table.remove(children)
    return post(household_prefix .. '{"input":{"declarantIdcs":"' .. head .. '","province":"'
      .. province .. '","commune":"Bench","milieu":"URBAN","address":"1 rue du Banc",'
      .. '"members":[{"idcs":"' .. head .. '","relationship":"HEAD"},{"idcs":"' .. child
      .. '","relationship":"CHILD","schooling":"IN_SCHOOL"}],"declaration":' .. DECLARATION .. "}}}")
  end
  if pending_heads + #heads <= pending_children + #children then
    pending_heads = pending_heads + 1
    cin_counter = cin_counter + 1
    local cin = cin_prefix .. string.format("%06d", cin_counter % 1000000)
    return post(head_prefix .. '{"input":{"firstName":"Karim","lastName":"Bennani","sex":"MALE",'
      .. '"birthDate":"' .. birth_date(1960, 2000) .. '","nationality":"MA","cin":"' .. cin .. '"}}}')
  end
  pending_children = pending_children + 1
  -- a child has no document: registerPerson compares it with the register's persons by name
  -- and birth date, so each child is another person (a name of its own), as in life
  return post(child_prefix .. '{"input":{"firstName":"' .. made_up_name() .. '","lastName":"'
    .. made_up_name() .. '","sex":"FEMALE","birthDate":"' .. birth_date(2012, 2019)
    .. '","nationality":"MA"}}}')
end

function response(status, _, body)
  common.count(status, body)
  body = body or ""
  local idcs = body:match('"idcs":"(%d+)"')
  if body:find('"head"', 1, true) then
    pending_heads = math.max(0, pending_heads - 1)
    if idcs then heads[#heads + 1] = idcs end
  elseif body:find('"child"', 1, true) then
    pending_children = math.max(0, pending_children - 1)
    if idcs then children[#children + 1] = idcs end
  elseif body:find('"registerHousehold":{', 1, true) then
    extra = extra + 1
  elseif pending_heads > pending_children then  -- an answer that names nothing (e.g. a 500)
    pending_heads = pending_heads - 1
  elseif pending_children > 0 then
    pending_children = pending_children - 1
  end
end

done = common.done
