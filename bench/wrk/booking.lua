-- POST /bookings/ as a signed-in customer: event dates and group sizes vary so that
-- priorities differ, as they do in real traffic. The dates run over ten years, so a date
-- holds the few dozen bookings a busy business might have on it, not thousands.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local type_ids = {}
for id in string.gmatch(os.getenv("BENCH_SERVICE_TYPES"), "%d+") do type_ids[#type_ids + 1] = id end
local first_day = os.time({year = 2027, month = 1, day = 1, hour = 12})
local n = math.random(0, 3649)
function request()
  n = n + 1
  local day = os.date("!%Y-%m-%d", first_day + (n % 3650) * 86400)
  local body = string.format(
    '{"service_type_id":%s,"tanggal_acara":"%sT02:00:00.000","jumlah_client":%d}',
    type_ids[n % #type_ids + 1], day, n % 5 + 1)
  return wrk.format(nil, nil, nil, body)
end
