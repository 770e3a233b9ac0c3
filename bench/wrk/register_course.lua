-- POST /api/booking/register-course with captchas solved ahead of time: each line of
-- BENCH_REGISTRATIONS is "captcha_token idempotency_key email", used once.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local course = os.getenv("BENCH_COURSE")
local rows = {}
for line in io.lines(os.getenv("BENCH_REGISTRATIONS")) do rows[#rows + 1] = line end
local n = 0
function request()
  n = n % #rows + 1
  local token, key, email = string.match(rows[n], "(%S+) (%S+) (%S+)")
  local body = '{"full_name":"Budi Santoso","email":"' .. email .. '",' ..
    '"wa_number":"+6281234567890","course_id":"' .. course .. '",' ..
    '"address":"Jl. Merdeka 1, Bandung","birth_place":"Bandung","birth_date":"2010-05-17",' ..
    '"school":"SMP 1 Bandung","class":8,"guardian_name":"Siti Aminah",' ..
    '"guardian_wa_number":"+6281298765432","experience_level":"beginner",' ..
    '"preferred_days":["monday","wednesday"],' ..
    '"preferred_time_range":{"start":"15:00","end":"17:00"},"consent":true,' ..
    '"captcha_token":"' .. token .. '","idempotency_key":"' .. key .. '"}'
  return wrk.format(nil, nil, nil, body)
end
