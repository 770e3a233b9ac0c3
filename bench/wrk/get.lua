-- GET of wrk's URL, optionally as a signed-in user (BENCH_TOKEN); a 4xx or 5xx counts as an error.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
