-- All cached: the same configuration every time (rendered once, then served
-- from the memory cache).
dofile(os.getenv("LOAD_DIR") .. "/stats.lua")
request = function()
  return wrk.format("GET", "/v1/products/sneaker/image?width=256&height=256&sel.colorway=beach")
end
