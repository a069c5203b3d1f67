-- All unique: every request a new lace colour, so every request renders.
dofile(os.getenv("LOAD_DIR") .. "/stats.lua")
local n = 0
request = function()
  n = n + 1
  -- 160³ colours, channels 0x30–0xcf: inside the option's lightness limits.
  local r, g, b = math.random(48, 207), math.random(48, 207), (n * 37) % 160 + 48
  return wrk.format("GET", string.format(
    "/v1/products/sneaker/image?width=256&height=256&sel.colorway=street&sel.lace_color=%%23%02x%02x%02x", r, g, b))
end
