-- POST /auth/login with a customer's right password (an Argon2id verification each),
-- form-encoded as OAuth2 clients send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "username=" .. os.getenv("BENCH_EMAIL") .. "&password=" .. os.getenv("BENCH_PASSWORD")
