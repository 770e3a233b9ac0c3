-- POST /bookings/ as a signed-in customer: event dates and group sizes vary so that
-- priorities differ, as they do in real traffic.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local type_ids = {}
for id in string.gmatch(os.getenv("BENCH_SERVICE_TYPES"), "%d+") do type_ids[#type_ids + 1] = id end
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"service_type_id":%s,"tanggal_acara":"2027-%02d-%02dT10:00:00.000","jumlah_client":%d}',
    type_ids[n % #type_ids + 1], n % 12 + 1, n % 28 + 1, n % 5 + 1)
  return wrk.format(nil, nil, nil, body)
end
