-- wrk script for bench/server.sh: every request carries the staff session token, read from
-- the environment (BENCH_TOKEN) so it never appears on a command line. The same script is
-- used against nginx, which ignores the header, so both servers get the same request bytes.
local token = os.getenv("BENCH_TOKEN")
if not token or token == "" then
	error("BENCH_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
