-- All unique: every request a new lace colour, so every request renders.
dofile(os.getenv("LOAD_DIR") .. "/stats.lua")
local n = 0
request = function()
  n = n + 1
  -- Distinct per thread and request; channels kept within the option's
  -- lightness limits.
  local v = (n * 7919 + math.random(0, 4095) * 65536) % 0xC0C0C0 + 0x202020
  return wrk.format("GET", string.format(
    "/v1/products/sneaker/image?width=256&height=256&sel.colorway=street&sel.lace_color=%%23%06x", v))
end
